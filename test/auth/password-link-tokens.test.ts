import { expect } from 'chai';
import { PasswordLink } from '../../src/auth/password-link.model.js';
import { issuePasswordLink } from '../../src/auth/password-link.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { agentWithToken, completeFirstRun, loginAgent, makeMember } from '../helpers/factories.js';

describe('password reset tokens', () => {
  it('only a hash of the token is stored, and an expired token is a 404 that sets nothing', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const member = await makeMember();
    const token = await issuePasswordLink(member.id, admin);
    const stored = await PasswordLink.findOne({}).lean();
    expect(JSON.stringify(stored)).not.to.contain(token);

    await PasswordLink.updateOne({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const { agent, token: csrf } = await agentWithToken(app);
    const page = await agent.get(`/reset/${token}`);
    const post = await agent
      .post(`/reset/${token}`)
      .type('form')
      .send({ _csrf: csrf, password: 'a brand new passphrase', passwordConfirm: 'a brand new passphrase' });

    expect(page.status).to.equal(404);
    expect(post.status).to.equal(404);
    await loginAgent(app, member);
  });
});
