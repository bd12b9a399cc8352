import { expect } from 'chai';
import type { Express } from 'express';
import { Settings } from '../../src/settings/settings.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { agentWithToken, completeFirstRun, loginAgent, tokenFor } from '../helpers/factories.js';

describe('adversarial: invisible and control characters in names', () => {
  let app: Express;
  let agent: Awaited<ReturnType<typeof loginAgent>>;

  beforeEach(async () => {
    app = await buildTestApp();
    agent = await loginAgent(app, await completeFirstRun());
  });

  for (const [label, name] of [
    ['a right-to-left override (U+202E)', 'Farid \u202Enimda'],
    ['a NUL byte', 'Farid\u0000Noori'],
    ['an escape character', 'Farid \u001b[31mNoori'],
    ['a left-to-right isolate (U+2066)', '\u2066Farid'],
  ]) {
    it(`a display name with ${label} is refused with 422 and a readable message; no account is made`, async () => {
      const token = await tokenFor(agent, '/admin/users/new');
      const res = await agent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: token, email: 'farid@example.org', displayName: name, roles: 'member' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('characters that cannot be shown');
      expect(await User.exists({ email: 'farid@example.org' })).to.equal(null);
    });
  }

  it('a display name of only zero-width characters counts as empty (422 "fill in")', async () => {
    const token = await tokenFor(agent, '/admin/users/new');
    const res = await agent.post('/admin/users').type('form').send({
      _csrf: token,
      email: 'zw@example.org',
      displayName: '\u200B\u200C\u200D\uFEFF ',
      roles: 'member',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please fill in this field.');
    expect(await User.exists({ email: 'zw@example.org' })).to.equal(null);
  });

  it('a Dari name with a zero-width non-joiner, which Dari spelling needs, is accepted as typed', async () => {
    const token = await tokenFor(agent, '/admin/users/new');
    const name = 'عبدالله نور\u200Cزاده';
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'noorzada@example.org', displayName: name, roles: 'member' });
    expect(res.status).to.equal(201);
    expect((await User.findOne({ email: 'noorzada@example.org' }).lean())?.displayName).to.equal(name);
  });

  it('an organisation name with a bidi override is refused with 422 and the stored name is unchanged', async () => {
    const token = await tokenFor(agent, '/admin/settings');
    const res = await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: token, organisationName: 'Network \u202Eevil', registrationMode: 'invite' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('characters that cannot be shown');
    expect((await Settings.findOne({}).lean())?.organisationName).to.equal('Test Network');
  });

  it('JSON with query operators where a form is expected is a 422 on sign-in, not a filter', async () => {
    const { agent: anon, token } = await agentWithToken(app);
    const res = await anon
      .post('/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ _csrf: token, email: { $gt: '' }, password: { $ne: null } }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please fill in this field.');
  });
});
