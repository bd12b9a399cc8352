import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { User } from '../../src/users/user.model.js';
import type { Mailer, OutgoingMail } from '../../src/core/mailer.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  linkFrom,
  agentWithToken,
  completeFirstRun,
  csrfFrom,
  loginAgent,
  makeCoordinator,
  tokenFor,
  makeUser,
} from '../helpers/factories.js';

describe('accounts created by staff and one-time password links', () => {
  let app: Express;
  let admin: Awaited<ReturnType<typeof completeFirstRun>>;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  it('a coordinator creates a member and the link shown lets that member choose a password once', async () => {
    const coordinator = await makeCoordinator();
    const agent = await loginAgent(app, coordinator);
    const token = await tokenFor(agent, '/admin/users/new');

    const created = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'Zahra@Example.org', displayName: 'زهرا احمدی', roles: 'member' });

    expect(created.status).to.equal(201);
    const stored = await User.findOne({ email: 'zahra@example.org' }).lean();
    expect(stored?.roles).to.deep.equal(['member']);
    const path = linkFrom(created.text);
    const person = request.agent(app);
    const resetPage = await person.get(path);
    expect(resetPage.status).to.equal(200);
    // The link shows whose account it is, so the person knows the email to sign in with later.
    expect(resetPage.text).to.contain('زهرا احمدی');
    expect(resetPage.text).to.contain('zahra@example.org');
    const set = await person
      .post(path)
      .type('form')
      .send({
        _csrf: csrfFrom(resetPage.text),
        password: 'my own secret phrase',
        passwordConfirm: 'my own secret phrase',
      });
    // Setting the password signs the person in.
    expect(set.headers.location).to.equal('/?notice=passwordSet');
    const home = await person.get('/?notice=passwordSet');
    expect(home.text).to.contain('Your password is saved and you are signed in.');
    expect(home.text).to.contain('زهرا احمدی');
    await loginAgent(app, { email: 'zahra@example.org', password: 'my own secret phrase' });
    expect((await request(app).get(path)).status).to.equal(404);
  });

  it('the link page speaks the language staff chose for the person, unless the browser chose one', async () => {
    const staff = await loginAgent(app, admin);
    const token = await tokenFor(staff, '/admin/users/new');
    const created = await staff
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'gul@example.org', displayName: 'ګل', roles: 'member', locale: 'ps-AF' });
    const path = linkFrom(created.text);
    const page = await request(app).get(path).set('Accept-Language', 'en');
    expect(page.text).to.contain('<html lang="ps-AF" dir="rtl">');
    const chosen = await request(app).get(path).set('Cookie', 'lang=en');
    expect(chosen.text).to.contain('<html lang="en" dir="ltr">');
  });

  it('a coordinator cannot grant the admin role nor take over an admin through a reset link', async () => {
    const agent = await loginAgent(app, await makeCoordinator());
    const token = await tokenFor(agent, '/admin/users/new');

    const grant = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'x@example.org', displayName: 'X', roles: ['admin'] });
    const takeOver = await agent
      .post(`/admin/users/${admin.id}/reset-link`)
      .type('form')
      .send({ _csrf: token });

    expect(grant.status).to.equal(403);
    expect(takeOver.status).to.equal(403);
    expect(await User.exists({ email: 'x@example.org' })).to.equal(null);
  });

  it('an existing email is refused with 422 and a message by the field', async () => {
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users/new');

    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: admin.email, displayName: 'Dup' });

    expect(res.status).to.equal(422);
    expect(res.text).to.contain('An account with this email address already exists.');
  });

  it('open registration is off by default (404) and works once an admin opens it', async () => {
    expect((await request(app).get('/register')).status).to.equal(404);
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/settings');
    await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: token, organisationName: 'Net', registrationMode: 'open' });

    const { agent: visitor, token: t2 } = await agentWithToken(app, '/register');
    const res = await visitor.post('/register').type('form').send({
      _csrf: t2,
      email: 'new@example.org',
      displayName: 'New',
      password: 'seven blue kites fly',
      passwordConfirm: 'seven blue kites fly',
    });

    expect(res.headers.location).to.equal('/login?notice=registered');
    expect((await User.findOne({ email: 'new@example.org' }).lean())?.roles).to.deep.equal(['member']);
  });
});

describe('password links by mail when SMTP is configured', () => {
  it('the link is mailed to the person in their language and still shown on screen', async () => {
    const sent: OutgoingMail[] = [];
    const mailer: Mailer = { enabled: true, send: (m) => Promise.resolve(void sent.push(m)) };
    const app = await buildTestApp({ mailer });
    const admin = await completeFirstRun();
    const member = await makeUser({ roles: ['member'], locale: 'fa-AF', displayName: 'زهرا' });
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');

    const res = await agent.post(`/admin/users/${member.id}/reset-link`).type('form').send({ _csrf: token });

    expect(res.status).to.equal(200);
    expect(res.text).to.contain('The link has also been sent');
    expect(sent).to.have.length(1);
    expect(sent[0]?.to).to.equal(member.email);
    expect(sent[0]?.subject).to.equal('لینک رمز سبق شما');
    expect(sent[0]?.text).to.contain(linkFrom(res.text));
  });

  it('a failing mail server does not lose the link: the page shows it with a warning', async () => {
    const mailer: Mailer = { enabled: true, send: () => Promise.reject(new Error('connection refused')) };
    const app = await buildTestApp({ mailer });
    const admin = await completeFirstRun();
    const member = await makeUser({ roles: ['member'] });
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');

    const res = await agent.post(`/admin/users/${member.id}/reset-link`).type('form').send({ _csrf: token });

    expect(res.status).to.equal(200);
    expect(res.text).to.contain('could not be sent by email');
    expect(linkFrom(res.text)).to.match(/^\/reset\//);
  });
});
