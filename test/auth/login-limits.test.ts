import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { DEFAULT_LOGIN_POLICY } from '../../src/auth/auth.service.js';
import { LoginThrottle } from '../../src/auth/login-throttle.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  agentWithToken,
  completeFirstRun,
  makeAdmin,
  makeMember,
  signOut,
  tokenFor,
} from '../helpers/factories.js';
import { capturingLogger } from '../helpers/log-capture.js';

function signIn(agent: ReturnType<typeof request.agent>, token: string, email: string, password: string) {
  return agent.post('/login').type('form').send({ _csrf: token, email, password });
}

describe('sign-in limits under concurrency and lockouts that do not lock out the owner', () => {
  let app: Express;
  let log: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    log = capturingLogger('info');
    app = await buildTestApp({ logger: log.logger });
    await completeFirstRun();
  });

  function checkedAttempts(): number {
    return log.entries().filter((e) => (e.login as { checked?: boolean } | undefined)?.checked === true)
      .length;
  }

  it('40 simultaneous sign-ins, 39 wrong then the right one: at most 5 passwords are checked and the rest are refused', async () => {
    const member = await makeMember();
    const { agent, token } = await agentWithToken(app);
    const attempts = Array.from({ length: 40 }, (_, i) =>
      signIn(agent, token, member.email, i === 39 ? member.password : `wrong guess number ${i}`),
    );

    const statuses = (await Promise.all(attempts)).map((r) => r.status);

    expect(checkedAttempts()).to.be.at.most(5);
    const answered = statuses.filter((s) => s === 401 || s === 303).length;
    expect(answered, 'only checked attempts can be told "wrong" or succeed').to.be.at.most(5);
    expect(statuses.filter((s) => s === 423 || s === 429).length).to.be.at.least(35);
    // Once the storm is over the account stays locked, for the right password too.
    const after = await signIn(agent, token, member.email, member.password);
    expect(after.status).to.be.oneOf([423, 429]);
  });

  it('a stranger who locks an admin out with five wrong passwords does not lock out the admin’s own device', async () => {
    const admin = await makeAdmin();
    const own = await agentWithToken(app);
    expect((await signIn(own.agent, own.token, admin.email, admin.password)).status).to.equal(303);
    await signOut(own.agent);

    const stranger = await agentWithToken(app);
    const strangerStatuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      strangerStatuses.push(
        (await signIn(stranger.agent, stranger.token, admin.email, `guess ${i} xyz`)).status,
      );
    }
    expect(strangerStatuses).to.deep.equal([401, 401, 401, 401, 423, 423]);
    // A new device is refused even with the right password…
    expect((await signIn(stranger.agent, stranger.token, admin.email, admin.password)).status).to.equal(423);
    // …but the admin's own browser, which signed in before, still gets in.
    const againToken = await tokenFor(own.agent, '/login');
    expect((await signIn(own.agent, againToken, admin.email, admin.password)).status).to.equal(303);
  });

  it('a trusted device has its own limit: five wrong passwords from it lock that device too', async () => {
    const member = await makeMember();
    const own = await agentWithToken(app);
    await signIn(own.agent, own.token, member.email, member.password);
    await signOut(own.agent);
    const token = await tokenFor(own.agent, '/login');

    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await signIn(own.agent, token, member.email, `typo ${i} abc`)).status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 423, 423]);
    expect((await signIn(own.agent, token, member.email, member.password)).status).to.equal(423);
  });

  it('a device cookie is bound to its email: it does not lift the lock on another account', async () => {
    const member = await makeMember();
    const other = await makeMember();
    const own = await agentWithToken(app);
    await signIn(own.agent, own.token, member.email, member.password);
    await signOut(own.agent);

    const stranger = await agentWithToken(app);
    for (let i = 0; i < 5; i += 1)
      await signIn(stranger.agent, stranger.token, other.email, `guess ${i} xyz`);
    const token = await tokenFor(own.agent, '/login');
    expect((await signIn(own.agent, token, other.email, other.password)).status).to.equal(423);
  });

  it('an address past its limit creates no counters for further emails and cannot lock other accounts', async () => {
    const limited = await buildTestApp({
      logger: log.logger,
      loginPolicy: { ...DEFAULT_LOGIN_POLICY, maxAttemptsPerIp: 3 },
    });
    const victim = await makeMember();
    const { agent, token } = await agentWithToken(limited);
    for (let i = 0; i < 3; i += 1) await signIn(agent, token, `nobody${i}@example.org`, 'guess guess guess');
    const before = await LoginThrottle.countDocuments({});
    const refused: number[] = [];
    for (let i = 0; i < 8; i += 1)
      refused.push((await signIn(agent, token, victim.email, `guess ${i} xyz`)).status);
    for (let i = 0; i < 20; i += 1) await signIn(agent, token, `other${i}@example.org`, 'guess guess guess');

    expect(refused.every((s) => s === 429)).to.equal(true);
    expect(await LoginThrottle.countDocuments({}), 'no new counters once the address is refused').to.equal(
      before,
    );
    // The victim, from elsewhere, is not locked by any of it.
    const elsewhere = await agentWithToken(app);
    expect((await signIn(elsewhere.agent, elsewhere.token, victim.email, victim.password)).status).to.equal(
      303,
    );
  });

  it("a planted cookie in cookie-parser's JSON form does not break pages", async () => {
    const res = await request(app).get('/login').set('Cookie', 'csrf=j:{"a":1}; device=j:1');
    expect(res.status).to.equal(200);
  });
});
