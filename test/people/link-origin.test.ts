import { expect } from 'chai';
import { PasswordLink } from '../../src/auth/password-link.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeMember, tokenFor } from '../helpers/factories.js';

function linkOn(html: string): string | undefined {
  return /id="reset-link"[^>]*>([^<]+)</.exec(html)?.[1];
}

describe('adversarial: the Host header and password links', () => {
  it('without BASE_URL, a Host header that is not a plain host name is refused with 400 and no token is issued', async () => {
    const app = await buildTestApp({
      config: { isProduction: false, trustProxy: false, baseUrl: undefined, env: 'test' },
    });
    const agent = await loginAgent(app, await completeFirstRun());
    const member = await makeMember();
    const token = await tokenFor(agent, '/admin/users');

    for (const host of ['staff@evil.example', 'evil.example/reset?', 'evil.example:80@x']) {
      const res = await agent
        .post(`/admin/users/${member.id}/reset-link`)
        .set('Host', host)
        .type('form')
        .send({ _csrf: token });
      expect(res.status, host).to.equal(400);
      expect(res.text).not.to.contain('evil.example/reset');
    }
    const created = await agent
      .post('/admin/users')
      .set('Host', 'staff@evil.example')
      .type('form')
      .send({ _csrf: token, email: 'new@example.org', displayName: 'New Person', roles: 'member' });
    expect(created.status).to.equal(400);
    expect(await PasswordLink.countDocuments({})).to.equal(0);
    expect(await User.exists({ email: 'new@example.org' })).to.equal(null);

    const plain = await agent
      .post(`/admin/users/${member.id}/reset-link`)
      .set('Host', 'sabaq.local:3000')
      .type('form')
      .send({ _csrf: token });
    expect(plain.status).to.equal(200);
    expect(linkOn(plain.text)).to.match(/^http:\/\/sabaq\.local:3000\/reset\/[\w-]+$/);
  });

  it('with BASE_URL set, a forged Host or X-Forwarded-Host never reaches the link', async () => {
    const app = await buildTestApp({
      config: { isProduction: true, trustProxy: 1, baseUrl: 'https://sabaq.example.org', env: 'production' },
    });
    const agent = await loginAgent(app, await completeFirstRun());
    const member = await makeMember();
    const token = await tokenFor(agent, '/admin/users');
    const res = await agent
      .post(`/admin/users/${member.id}/reset-link`)
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .type('form')
      .send({ _csrf: token });
    expect(res.status).to.equal(200);
    expect(linkOn(res.text)).to.match(/^https:\/\/sabaq\.example\.org\/reset\/[\w-]+$/);
  });
});
