import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { LoginThrottle } from '../../src/auth/login-throttle.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  agentWithToken,
  completeFirstRun,
  csrfFrom,
  loginAgent,
  makeMember,
  openRegistration,
  makeUser,
  tokenFor,
} from '../helpers/factories.js';

function sessionCookie(res: request.Response): string | undefined {
  const cookies = res.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((c) => c.startsWith('sid='))?.split(';')[0];
}

describe('signing in and out', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('signing in with the right password redirects home and the home page greets the person', async () => {
    const member = await makeMember();
    const { agent, token } = await agentWithToken(app);

    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: member.email, password: member.password });

    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/');
    const home = await agent.get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain(member.displayName);
  });

  it('the sign-in page says how to get a new password, and links to registration only while it is open', async () => {
    const closed = await request(app).get('/login');
    expect(closed.text).to.contain('Ask your coordinator or an administrator for a new password link');
    expect(closed.text).not.to.contain('href="/register"');
    await openRegistration();
    expect((await request(app).get('/login')).text).to.contain('href="/register"');
  });

  it('signing in with a wrong password is refused with 401 and a message, and no one is signed in', async () => {
    const member = await makeMember();
    const { agent, token } = await agentWithToken(app);

    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: member.email, password: 'wrong password 123' });

    expect(res.status).to.equal(401);
    expect(res.text).to.contain('The email address or password is not correct.');
    expect(res.text).to.contain(`value="${member.email}"`);
    const home = await agent.get('/');
    expect(home.status).to.equal(303);
    expect(home.headers.location).to.equal('/login');
  });

  it('an account locks after 5 failed attempts, even for the right password, and the lock is stored', async () => {
    const member = await makeMember();
    const { agent, token } = await agentWithToken(app);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, email: member.email, password: `wrong password ${i}` });
      statuses.push(r.status);
    }

    const withRightPassword = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: member.email, password: member.password });

    expect(statuses).to.deep.equal([401, 401, 401, 401, 423]);
    expect(withRightPassword.status).to.equal(423);
    expect(withRightPassword.text).to.contain('locked');
    const lock = await LoginThrottle.findById(`account|${member.email}`).lean();
    expect(lock?.expiresAt.getTime()).to.be.greaterThan(Date.now() + 14 * 60_000);
  });

  it('attempts per IP and email are throttled with 429 once the window allows no more', async () => {
    const { agent, token } = await agentWithToken(app);
    let last = 0;
    for (let i = 0; i < 11; i += 1) {
      const r = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, email: 'nobody@example.org', password: `guess number ${i}` });
      last = r.status;
    }
    expect(last).to.equal(429);
  });

  it('signing in gets a new session id, never one the browser brought (session fixation)', async () => {
    // An attacker gets a real session cookie of this site and plants it in the victim's browser.
    const attacker = await makeMember();
    const victim = await makeMember();
    const { agent: attackerAgent, token: attackerToken } = await agentWithToken(app);
    const planted = sessionCookie(
      await attackerAgent
        .post('/login')
        .type('form')
        .send({ _csrf: attackerToken, email: attacker.email, password: attacker.password }),
    );
    expect(planted).to.be.a('string');
    // Signed out again, so the planted cookie names a session id the store has seen but no longer holds.
    const logoutToken = await tokenFor(attackerAgent);
    await attackerAgent.post('/logout').type('form').send({ _csrf: logoutToken });

    const page = await request(app).get('/login');
    const csrfCookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]);
    const res = await request(app)
      .post('/login')
      .set('Cookie', [planted!, ...csrfCookie].join('; '))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: victim.email, password: victim.password });

    const issued = sessionCookie(res);
    expect(res.status).to.equal(303);
    expect(issued).to.be.a('string').and.not.equal(planted);
    const withPlanted = await request(app).get('/').set('Cookie', planted!);
    expect(withPlanted.text).not.to.contain(victim.displayName);
    const withIssued = await request(app).get('/').set('Cookie', issued!);
    expect(withIssued.status).to.equal(200);
    expect(withIssued.text).to.contain(victim.displayName);
  });

  it('signing out destroys the session so its cookie no longer works', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, member);
    const token = await tokenFor(agent);

    const res = await agent.post('/logout').type('form').send({ _csrf: token });

    expect(res.status).to.equal(303);
    expect((await agent.get('/')).headers.location).to.equal('/login');
  });

  it('a form post without a CSRF token is rejected with 403', async () => {
    const member = await makeMember();
    const { agent } = await agentWithToken(app);

    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: member.email, password: member.password });

    expect(res.status).to.equal(403);
    expect(res.text).to.contain('This form has expired');
    expect((await agent.get('/')).status).to.equal(303);
  });

  it('a query operator in the email field is rejected as input, not run as a filter', async () => {
    await makeMember();
    const { agent, token } = await agentWithToken(app);

    const res = await agent.post('/login').type('form').send(`_csrf=${token}&email[$ne]=x&password[$ne]=x`);

    expect(res.status).to.equal(422);
    expect((await agent.get('/')).status).to.equal(303);
  });
});

describe('password spraying from one address', () => {
  it('after the per-IP limit, even a right password from that IP is throttled, while another IP still signs in', async () => {
    const policy = {
      maxFailures: 5,
      lockMs: 60_000,
      maxAttemptsPerWindow: 10,
      maxAttemptsPerIp: 3,
      windowMs: 60_000,
    };
    const app = await buildTestApp({
      loginPolicy: policy,
      config: { isProduction: false, trustProxy: true, baseUrl: undefined, env: 'test' },
    });
    await completeFirstRun();
    const member = await makeMember();
    const { agent, token } = await agentWithToken(app);
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) {
      await agent
        .post('/login')
        .set('X-Forwarded-For', '203.0.113.7')
        .type('form')
        .send({ _csrf: token, email, password: 'spray password 1' });
    }

    const sprayer = await agent
      .post('/login')
      .set('X-Forwarded-For', '203.0.113.7')
      .type('form')
      .send({ _csrf: token, email: member.email, password: member.password });
    const other = await agent
      .post('/login')
      .set('X-Forwarded-For', '198.51.100.9')
      .type('form')
      .send({ _csrf: token, email: member.email, password: member.password });

    expect(sprayer.status).to.equal(429);
    expect(other.status).to.equal(303);
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
