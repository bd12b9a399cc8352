import { expect } from 'chai';
import { Settings } from '../../src/settings/settings.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { loginAgent, makeAdmin, tokenFor } from '../helpers/factories.js';

describe('organisation settings', () => {
  it('an admin created by the CLI (no settings yet) saves the organisation settings, and they are stored', async () => {
    const app = await buildTestApp();
    const admin = await makeAdmin();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/settings');

    const res = await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: token, organisationName: 'Herat Network', registrationMode: 'open' });

    expect(res.status).to.equal(303);
    const stored = await Settings.findById('organisation').lean();
    expect(stored?.organisationName).to.equal('Herat Network');
    expect(stored?.registrationMode).to.equal('open');
    expect((await agent.get('/admin/settings')).text).to.contain('value="Herat Network"');
  });
});
