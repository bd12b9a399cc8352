import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { PasswordLink } from '../../src/auth/password-link.model.js';
import { issuePasswordLink } from '../../src/auth/password-link.service.js';
import { Settings } from '../../src/settings/settings.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { agentWithToken, completeFirstRun, csrfFrom, loginAgent, makeMember } from '../helpers/factories.js';
import { verifyPassword } from '../../src/users/passwords.js';

interface RouteInfo {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route the app registers, read from Express's own router, so a route added later is covered too. */
function routesOf(app: Express): RouteInfo[] {
  const found: RouteInfo[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push({ method, path: layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

describe('CSRF on every state-changing route', () => {
  it('every POST, PUT, PATCH and DELETE route refuses a signed-in admin without a token (403) and changes nothing', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const member = await makeMember();
    const agent = await loginAgent(app, admin);
    const changing = routesOf(app).filter((r) => ['post', 'put', 'patch', 'delete'].includes(r.method));
    expect(changing.length, 'routes found').to.be.greaterThan(8);

    for (const route of changing) {
      const path = route.path
        .replace(':id', member.id)
        .replace(':token', 'some-token')
        .replace(':locale', 'fa-AF');
      const res = await agent[route.method as 'post'](path)
        .type('form')
        .send({ roles: 'admin', organisationName: 'Changed', registrationMode: 'open', returnTo: '/' });
      expect(res.status, `${route.method.toUpperCase()} ${route.path}`).to.equal(403);
    }
    expect((await User.findById(member.id).lean())?.roles).to.deep.equal(['member']);
    expect((await Settings.findById('organisation').lean())?.organisationName).to.equal('Test Network');
    expect(await PasswordLink.countDocuments({})).to.equal(0);
    expect((await agent.get('/')).status, 'still signed in: logout was refused too').to.equal(200);
  });
});

describe('CSRF on multipart forms', () => {
  it('a multipart post passes the CSRF check only with the token in its action URL', async () => {
    const app = await buildTestApp();
    await completeFirstRun();
    const { agent, token } = await agentWithToken(app);

    const without = await agent.post('/lang/fa-AF').field('returnTo', '/login');
    const withToken = await agent.post(`/lang/fa-AF?_csrf=${token}`).field('returnTo', '/login');

    expect(without.status).to.equal(403);
    // Past the CSRF check; the multipart body itself is not parsed here, so returnTo falls back to "/".
    expect(withToken.status).to.equal(303);
  });
});

describe('adversarial: sessions and CSRF', () => {
  it('a CSRF token from one session is refused in another (403), and sign-out by GET does not exist', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const { token: strangerToken } = await agentWithToken(app);
    const agent = await loginAgent(app, admin);

    const forged = await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: strangerToken, organisationName: 'Taken over', registrationMode: 'open' });
    expect(forged.status).to.equal(403);
    expect((await Settings.findOne({}).lean())?.organisationName).to.equal('Test Network');

    expect((await agent.get('/logout')).status).to.equal(404);
    expect((await agent.get('/admin/users')).status).to.equal(200);
  });

  it('two people using the same password link at the same moment: exactly one sets the password', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const member = await makeMember();
    const link = `/reset/${await issuePasswordLink(member.id, admin)}`;
    const first = request.agent(app);
    const second = request.agent(app);
    const [page1, page2] = await Promise.all([first.get(link), second.get(link)]);

    const [a, b] = await Promise.all([
      first
        .post(link)
        .type('form')
        .send({
          _csrf: csrfFrom(page1.text),
          password: 'first person phrase',
          passwordConfirm: 'first person phrase',
        }),
      second
        .post(link)
        .type('form')
        .send({
          _csrf: csrfFrom(page2.text),
          password: 'second person phrase',
          passwordConfirm: 'second person phrase',
        }),
    ]);

    expect([a.status, b.status].sort()).to.deep.equal([303, 404]);
    const winner = a.status === 303 ? 'first person phrase' : 'second person phrase';
    const loser = a.status === 303 ? 'second person phrase' : 'first person phrase';
    const stored = await User.findById(member.id).lean();
    expect(await verifyPassword(stored!.passwordHash, winner)).to.equal(true);
    expect(await verifyPassword(stored!.passwordHash, loser)).to.equal(false);
    // Used links are deleted, not kept: nothing is left to replay.
    expect(await PasswordLink.countDocuments({})).to.equal(0);
  });
});
