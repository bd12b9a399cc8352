import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { issuePasswordLink } from '../../src/auth/password-link.service.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  agentWithToken,
  completeFirstRun,
  openRegistration,
  loginAgent,
  makeMember,
  tokenFor,
} from '../helpers/factories.js';

describe('bad input on every form gives a readable 4xx, never a 500', () => {
  let app: Express;
  let admin: Awaited<ReturnType<typeof completeFirstRun>>;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
    await openRegistration();
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
