import { expect } from 'chai';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { agentWithToken } from '../helpers/factories.js';

describe('bad input on the first-run form', () => {
  it('setup form: arrays and objects are a 422 with the organisation name kept', async () => {
    const fresh = await buildTestApp();
    const { agent, token } = await agentWithToken(fresh, '/setup');

    const res = await agent
      .post('/setup')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(token)}&organisationName=My%20Network&email[]=a@x.org&email[]=b@x.org` +
          `&displayName[$ne]=1&password=x&passwordConfirm=x`,
      );

    expect(res.status).to.equal(422);
    expect(res.text).to.contain('value="My Network"');
    expect(await User.countDocuments({})).to.equal(0);
  });
});
