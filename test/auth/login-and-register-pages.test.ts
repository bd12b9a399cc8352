import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  agentWithToken,
  completeFirstRun,
  csrfFrom,
  loginAgent,
  makeMember,
  openRegistration,
  type TestUser,
} from '../helpers/factories.js';

describe('the sign-in page', () => {
  let app: Express;
  let admin: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  it('shows the notice its address names, from the ones it knows only', async () => {
    expect((await request(app).get('/login?notice=loggedOut')).text).to.contain('You have signed out.');
    expect((await request(app).get('/login?notice=registered')).text).to.contain(
      'Your account has been created. You can sign in now.',
    );
    // "password set" belongs to the home page of someone signed in, not to the sign-in page.
    const other = (await request(app).get('/login?notice=passwordSet')).text;
    expect(other).not.to.contain('Your password is saved');
    expect(other).not.to.contain('role="status"');
  });

  it('someone already signed in is sent on to where they were going', async () => {
    const agent = await loginAgent(app, admin);
    const res = await agent.get('/login?next=%2Fcourses%3Fq%3Dlaw');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/courses?q=law');
  });

  it('a wrong password keeps the email and the "keep me signed in" choice, and the return path', async () => {
    const { agent, token } = await agentWithToken(app);
    const res = await agent.post('/login').type('form').send({
      _csrf: token,
      email: admin.email.toUpperCase(),
      password: 'not the right password',
      remember: 'on',
      next: '/courses',
    });
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('The email address or password is not correct.');
    expect(res.text).to.contain(`value="${admin.email}"`);
    expect(res.text).to.match(/name="remember" value="on"[^>]*checked/);
    expect(res.text).to.contain('name="next" value="/courses"');
    expect(res.text).not.to.contain('not the right password');
  });

  it('a password link that does not exist is a 404 that says so, and the page never sends its address on', async () => {
    const res = await request(app).get(`/reset/${'x'.repeat(43)}`);
    expect(res.status).to.equal(404);
    expect(res.text).to.contain('This password link is not valid any more. Ask a coordinator for a new one.');
    expect(res.headers['referrer-policy']).to.equal('no-referrer');
    const { agent, token } = await agentWithToken(app);
    const post = await agent
      .post(`/reset/${'x'.repeat(43)}`)
      .type('form')
      .send({ _csrf: token, password: 'seven blue kites fly', passwordConfirm: 'seven blue kites fly' });
    expect(post.status).to.equal(404);
    expect(post.headers['referrer-policy']).to.equal('no-referrer');
  });
});

describe('self-registration', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  const register = async (fields: Record<string, string>) => {
    const { agent, token } = await agentWithToken(app, '/register');
    return agent
      .post('/register')
      .type('form')
      .send({ _csrf: token, ...fields });
  };

  it('while registration is closed, posting the form is a 404 and makes no account', async () => {
    const { agent, token } = await agentWithToken(app);
    const res = await agent.post('/register').type('form').send({
      _csrf: token,
      email: 'new@example.org',
      displayName: 'New',
      password: 'seven blue kites fly',
      passwordConfirm: 'seven blue kites fly',
    });
    expect(res.status).to.equal(404);
    expect(await User.countDocuments({ email: 'new@example.org' })).to.equal(0);
  });

  it('a new member gets the reader’s language and only the member role, whatever the form adds', async () => {
    await openRegistration();
    const { agent, token } = await agentWithToken(app, '/register');
    await agent.post('/lang/fa-AF').type('form').send({ _csrf: token, returnTo: '/register' });
    const fresh = csrfFrom((await agent.get('/register')).text);
    const res = await agent.post('/register').type('form').send({
      _csrf: fresh,
      email: 'Zarghona@Example.org',
      displayName: 'زرغونه وردګ',
      password: 'seven blue kites fly',
      passwordConfirm: 'seven blue kites fly',
      roles: 'admin',
    });
    expect(res.status).to.equal(303);
    const user = await User.findOne({ email: 'zarghona@example.org' }).lean();
    expect([user!.displayName, user!.roles, user!.locale]).to.deep.equal([
      'زرغونه وردګ',
      ['member'],
      'fa-AF',
    ]);
    // Made by the person themselves: nobody else is recorded as creating it.
    expect(await AuditEvent.countDocuments({ action: 'user.create' })).to.equal(0);
  });

  it('an email that has an account already is a 422 by the field, and no second account is made', async () => {
    await openRegistration();
    const existing = await makeMember();
    const res = await register({
      email: existing.email.toUpperCase(),
      displayName: 'Someone',
      password: 'seven blue kites fly',
      passwordConfirm: 'seven blue kites fly',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('An account with this email address already exists.');
    expect(res.text).to.contain('value="Someone"');
    expect(await User.countDocuments({ email: existing.email })).to.equal(1);
  });
});
