import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { PasswordLink } from '../../src/auth/password-link.model.js';
import { issuePasswordLink } from '../../src/auth/password-link.service.js';
import { ValidationError } from '../../src/core/app-error.js';
import { Settings } from '../../src/settings/settings.model.js';
import { User } from '../../src/users/user.model.js';
import { setRoles } from '../../src/users/user-access.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  agentWithToken,
  completeFirstRun,
  loginAgent,
  makeAdmin,
  makeCoordinator,
  makeMember,
  makeUser,
  tokenFor,
} from '../helpers/factories.js';

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

describe('bad input on every form gives a readable 4xx, never a 500', () => {
  let app: Express;
  let admin: Awaited<ReturnType<typeof completeFirstRun>>;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
    await Settings.updateOne({ _id: 'organisation' }, { $set: { registrationMode: 'open' } });
  });

  async function staffAgent() {
    const agent = await loginAgent(app, admin);
    return { agent, token: await tokenFor(agent, '/admin/users/new') };
  }

  const forms: { name: string; path: string; page: string; staff: boolean; text: string }[] = [
    { name: 'login', path: '/login', page: '/login', staff: false, text: 'email' },
    { name: 'registration', path: '/register', page: '/register', staff: false, text: 'displayName' },
    { name: 'new account', path: '/admin/users', page: '/admin/users/new', staff: true, text: 'displayName' },
    {
      name: 'settings',
      path: '/admin/settings',
      page: '/admin/settings',
      staff: true,
      text: 'organisationName',
    },
  ];

  for (const form of forms) {
    it(`${form.name}: arrays, objects and missing fields are a 422 with a message, the plain values kept`, async () => {
      const { agent, token } = form.staff ? await staffAgent() : await agentWithToken(app, form.page);
      const body =
        `_csrf=${encodeURIComponent(token)}&email[]=a@example.org&email[]=b@example.org` +
        `&password[$gt]=&${form.text === 'email' ? 'next' : form.text}=kept%20value&registrationMode[x]=open`;

      const res = await agent.post(form.path).type('form').send(body);

      expect(res.status).to.equal(422);
      expect(res.text).to.contain('role="alert"');
      expect(res.text).not.to.match(/validation\.\w+/);
      if (form.text !== 'email') expect(res.text).to.contain('value="kept value"');
      const empty = await agent.post(form.path).type('form').send({ _csrf: token });
      expect(empty.status).to.equal(422);
      expect(empty.text).to.contain('Please fill in this field.');
    });

    it(`${form.name}: a value far over its length is a 422 "too long", and a 1 MB value a 413 page`, async () => {
      const { agent, token } = form.staff ? await staffAgent() : await agentWithToken(app, form.page);

      const long = await agent
        .post(form.path)
        .type('form')
        .send({ _csrf: token, email: `${'a'.repeat(300)}@example.org`, [form.text]: 'x'.repeat(50_000) });
      const huge = await agent
        .post(form.path)
        .type('form')
        .send({ _csrf: token, [form.text]: 'x'.repeat(1_000_000) });

      expect(long.status).to.equal(422);
      expect(long.text).to.match(/too long|fill in this field/);
      expect(huge.status).to.equal(413);
      expect(huge.text).to.contain('<h1>');
      expect(huge.text).to.contain('too large');
    });
  }

  it('reset form: an array as the password is a 422 with a message; the link stays usable', async () => {
    const member = await makeMember();
    const token = await issuePasswordLink(member.id, admin);
    const { agent, token: csrf } = await agentWithToken(app, `/reset/${token}`);

    const res = await agent
      .post(`/reset/${token}`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&password[]=a&password[]=b&passwordConfirm=a`);

    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please fill in this field.');
    expect((await agent.get(`/reset/${token}`)).status).to.equal(200);
  });

  it('roles form: a role given as an object is refused with 422 and a readable message', async () => {
    const member = await makeMember();
    const { agent, token } = await staffAgent();

    const res = await agent
      .post(`/admin/users/${member.id}/roles`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&roles[$ne]=x`);

    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Choose valid roles.');
    expect((await User.findById(member.id).lean())?.roles).to.deep.equal(['member']);
  });
});

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

describe('ids in URLs', () => {
  it('a malformed or unknown user id is a 404 page, not a 500', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');

    for (const id of ['not-an-id', '123', '%24ne', '0123456789abcdef01234567', 'zzzzzzzzzzzz']) {
      for (const action of ['roles', 'reset-link']) {
        const res = await agent
          .post(`/admin/users/${id}/${action}`)
          .type('form')
          .send({ _csrf: token, roles: 'member' });
        expect(res.status, `${id} ${action}`).to.equal(404);
        expect(res.text).to.contain('Page not found');
      }
    }
    expect((await request(app).get('/reset/%7B%22%24ne%22%3A1%7D')).status).to.equal(404);
  });
});

describe('who may change whose roles', () => {
  let app: Express;
  let admin: Awaited<ReturnType<typeof completeFirstRun>>;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  it('a coordinator cannot make themselves admin, nor create a coordinator, nor get a link for another coordinator', async () => {
    const coordinator = await makeCoordinator();
    const other = await makeCoordinator();
    const agent = await loginAgent(app, coordinator);
    const token = await tokenFor(agent, '/admin/users/new');

    const self = await agent
      .post(`/admin/users/${coordinator.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: ['coordinator', 'admin'] });
    const peer = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'peer@example.org', displayName: 'Peer', roles: 'coordinator' });
    const link = await agent.post(`/admin/users/${other.id}/reset-link`).type('form').send({ _csrf: token });

    expect([self.status, peer.status, link.status]).to.deep.equal([403, 403, 403]);
    expect((await User.findById(coordinator.id).lean())?.roles).to.deep.equal(['coordinator']);
    expect(await User.exists({ email: 'peer@example.org' })).to.equal(null);
    expect(await PasswordLink.countDocuments({})).to.equal(0);
  });

  it('an admin cannot remove their own admin role (422, readable), but can remove another admin’s', async () => {
    const second = await makeAdmin();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');

    const own = await agent
      .post(`/admin/users/${admin.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: 'member' });
    const other = await agent
      .post(`/admin/users/${second.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: 'trainer' });

    expect(own.status).to.equal(422);
    expect(own.text).to.contain('You cannot remove your own administrator role.');
    expect((await User.findById(admin.id).lean())?.roles).to.deep.equal(['admin']);
    expect(other.status).to.equal(303);
    expect((await User.findById(second.id).lean())?.roles).to.deep.equal(['trainer']);
  });

  it('the last admin keeps the admin role, whoever asks (service rule, also for scripts)', async () => {
    const coordinator = await makeCoordinator();

    let error: unknown;
    try {
      await setRoles(admin.id, ['member'], coordinator.id);
    } catch (err) {
      error = err;
    }

    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).message).to.equal('validation.lastAdmin');
    expect((await User.findById(admin.id).lean())?.roles).to.include('admin');
  });

  it('two admins removing each other at the same moment leave at least one admin', async () => {
    const second = await makeAdmin();

    const results = await Promise.allSettled([
      setRoles(second.id, ['member'], admin.id),
      setRoles(admin.id, ['member'], second.id),
    ]);

    expect(results.filter((r) => r.status === 'rejected').length).to.be.greaterThan(0);
    expect(await User.countDocuments({ roles: 'admin' })).to.be.greaterThan(0);
  });
});

describe('no account enumeration through sign-in answers', () => {
  it('an unknown email answers exactly like a real one: 401 four times, then "locked" (423)', async () => {
    const app = await buildTestApp();
    await completeFirstRun();
    const member = await makeUser({ roles: ['member'] });
    const { agent, token } = await agentWithToken(app);
    const answers = async (email: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const r = await agent
          .post('/login')
          .type('form')
          .send({ _csrf: token, email, password: `wrong password ${i}` });
        const message = /role="alert">([^<]+)</.exec(r.text)?.[1];
        seen.push(`${r.status} ${message}`);
      }
      return seen;
    };

    const real = await answers(member.email);
    const unknown = await answers('nobody-here@example.org');

    expect(unknown).to.deep.equal(real);
    expect(real[4]).to.match(/^423 /);
  });
});

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
