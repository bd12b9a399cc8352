import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { buildTestApp, connectTestDb, TEST_DB_NAME } from '../helpers/app-harness.js';
import { signalChange } from '../../src/core/shared-cache.js';
import { CachedMongoStore, SESSIONS_CHANGED } from '../../src/core/cached-session-store.js';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type session from 'express-session';
import {
  agentWithToken,
  completeFirstRun,
  csrfFrom,
  isSignedIn,
  linkFrom,
  loginAgent,
  makeCoordinator,
  makeMember,
  postForm,
  usePasswordLink,
  type TestUser,
} from '../helpers/factories.js';

const MINUTE = 60_000;

function sessions() {
  return mongoose.connection.db!.collection<{ _id: string; expires: Date; session: string }>('sessions');
}

/** Rewrites what the store holds for every session, as time passing would. */
async function ageSessions(change: (data: Record<string, unknown>) => void): Promise<void> {
  for (const doc of await sessions().find({}).toArray()) {
    const data = JSON.parse(doc.session) as Record<string, unknown>;
    change(data);
    await sessions().updateOne({ _id: doc._id }, { $set: { session: JSON.stringify(data) } });
  }
  // Written behind the app's back, as another instance would: the app's session cache must hear of it.
  await signalChange(SESSIONS_CHANGED);
}

function cookieNamed(res: request.Response, name: string): string | undefined {
  const cookies = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  // The last one counts, as in a browser (an ended session's cookie is cleared before a new one is set).
  return cookies.findLast((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

function cookieExpiry(res: request.Response, name: string): number | undefined {
  const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) =>
    c.startsWith(`${name}=`),
  );
  const expires = cookie && /Expires=([^;]+)/.exec(cookie)?.[1];
  return expires ? Date.parse(expires) : undefined;
}

describe('sessions: where they are stored, how long they last, and how they end', () => {
  let app: Express;
  let admin: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  it('1,000 anonymous page views store no session; a sign-in stores one, in the app’s own database', async () => {
    const token = (await agentWithToken(app)).token;
    const pages = ['/login', '/', '/register', '/no-such-page', '/reset/not-a-token', '/admin/users'];
    const browser = request.agent(app);
    for (let i = 0; i < 1000; i += 1) {
      // Half from one returning browser, half from browsers without any cookie.
      const client = i % 2 === 0 ? browser : request(app);
      await client.get(pages[i % pages.length]!);
    }
    await browser.get('/login');
    const page = await browser.get('/login');
    const switched = await browser
      .post('/lang/fa-AF')
      .type('form')
      .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], returnTo: '/login' });
    expect(switched.status, 'the language switch works without a session').to.equal(303);
    expect(token).to.be.a('string');

    // Counted in the app's database and in "test", the driver's default, where they used to land.
    const driverDefault = mongoose.connection.getClient().db('test').collection('sessions');
    expect(await sessions().countDocuments({})).to.equal(0);
    expect(await driverDefault.countDocuments({})).to.equal(0);
    await loginAgent(app, await makeMember());
    expect(mongoose.connection.name).to.equal(TEST_DB_NAME);
    expect(await sessions().countDocuments({})).to.equal(1);
    expect(await driverDefault.countDocuments({})).to.equal(0);
  });

  it('a session ends after 30 idle minutes: the cookie and the stored expiry move forward with each request', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, member);
    const res = await agent.get('/');
    const expiry = cookieExpiry(res, 'sid');
    expect(expiry).to.be.within(Date.now() + 29 * MINUTE, Date.now() + 31 * MINUTE);
    const stored = await sessions().findOne({});
    expect(stored!.expires.getTime()).to.be.within(Date.now() + 28 * MINUTE, Date.now() + 31 * MINUTE);

    // 30 minutes without a request: the store's expiry has passed.
    await sessions().updateMany({}, { $set: { expires: new Date(Date.now() - 1000) } });
    await signalChange(SESSIONS_CHANGED);
    expect(await isSignedIn(agent)).to.equal(false);
  });

  it('a session ends 12 hours after sign-in however active it is, and the page says so', async () => {
    const agent = await loginAgent(app, await makeMember());
    await ageSessions((s) => (s.signedInAt = Date.now() - 12 * 60 * MINUTE - MINUTE));

    const res = await agent.get('/me');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Fme&notice=sessionEnded');
    expect((await agent.get(res.headers.location as string)).text).to.contain('Your session has ended');
    expect(await sessions().countDocuments({}), 'the ended session is removed from the store').to.equal(0);
  });

  it('"keep me signed in on this device" is an explicit, longer choice: 30 days', async () => {
    const member = await makeMember();
    const { agent, token } = await agentWithToken(app);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: member.email, password: member.password, remember: 'on' });
    expect(cookieExpiry(res, 'sid')).to.be.within(
      Date.now() + 29.9 * 24 * 60 * MINUTE,
      Date.now() + 30.1 * 24 * 60 * MINUTE,
    );

    await ageSessions((s) => (s.signedInAt = Date.now() - 13 * 60 * MINUTE));
    expect(await isSignedIn(agent), 'still signed in after 13 hours').to.equal(true);
    await ageSessions((s) => (s.signedInAt = Date.now() - 31 * 24 * 60 * MINUTE));
    expect(await isSignedIn(agent), 'signed out after 31 days').to.equal(false);
  });

  it('a password reset ends every session of the person (a stolen phone is signed out)', async () => {
    const member = await makeMember();
    const phone = await loginAgent(app, member);
    const laptop = await loginAgent(app, member);
    const adminAgent = await loginAgent(app, admin);
    const link = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);

    expect((await usePasswordLink(app, link, 'new phrase after theft')).status).to.equal(303);

    expect(await isSignedIn(phone)).to.equal(false);
    expect(await isSignedIn(laptop)).to.equal(false);
    expect(await isSignedIn(adminAgent), 'other people stay signed in').to.equal(true);
  });

  it('changing a person’s roles ends their sessions; an admin who adds a role to themselves stays signed in', async () => {
    const member = await makeMember();
    const phone = await loginAgent(app, member);
    const adminAgent = await loginAgent(app, admin);

    await postForm(adminAgent, `/admin/users/${member.id}/roles`, { roles: ['member', 'trainer'] });
    expect(await isSignedIn(phone)).to.equal(false);

    const ownChange = await postForm(adminAgent, `/admin/users/${admin.id}/roles`, {
      roles: ['admin', 'trainer'],
    });
    expect(ownChange.status).to.equal(303);
    expect(await isSignedIn(adminAgent)).to.equal(true);
  });

  it('"sign out everywhere else" ends the person’s other sessions and keeps this one', async () => {
    const member = await makeMember();
    const phone = await loginAgent(app, member);
    const laptop = await loginAgent(app, member);

    const res = await postForm(laptop, '/me/sessions/end', {}, '/me');
    expect(res.headers.location).to.equal('/me?saved=sessions');

    expect(await isSignedIn(phone)).to.equal(false);
    expect(await isSignedIn(laptop)).to.equal(true);
    expect((await laptop.get('/me?saved=sessions')).text).to.contain('signed out on every other device');
  });

  it('staff sign a person out everywhere from the person’s page; a coordinator may not do it to an admin', async () => {
    const member = await makeMember();
    const phone = await loginAgent(app, member);
    const coordinatorUser = await makeCoordinator();
    const coordinator = await loginAgent(app, coordinatorUser);
    const adminPhone: TestAgent = await loginAgent(app, admin);

    const page = await coordinator.get(`/people/${member.id}`);
    expect(page.text).to.contain('Sign out everywhere');
    const res = await postForm(
      coordinator,
      `/admin/users/${member.id}/sessions/end`,
      {},
      `/people/${member.id}`,
    );
    expect(res.status).to.equal(303);
    expect(await isSignedIn(phone)).to.equal(false);

    const refused = await postForm(coordinator, `/admin/users/${admin.id}/sessions/end`, {}, '/admin/users');
    expect(refused.status).to.equal(403);
    expect(await isSignedIn(adminPhone)).to.equal(true);
  });

  it('changing one’s own password asks for the current one and signs out every other device', async () => {
    const member = await makeMember();
    const phone = await loginAgent(app, member);
    const laptop = await loginAgent(app, member);

    const wrong = await postForm(
      laptop,
      '/me/password',
      {
        currentPassword: 'not my password',
        password: 'a new long passphrase',
        passwordConfirm: 'a new long passphrase',
      },
      '/me',
    );
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('Your current password is not correct.');

    const ok = await postForm(
      laptop,
      '/me/password',
      {
        currentPassword: member.password,
        password: 'a new long passphrase',
        passwordConfirm: 'a new long passphrase',
      },
      '/me',
    );
    expect(ok.headers.location).to.equal('/me?saved=password');
    expect(await isSignedIn(phone)).to.equal(false);
    expect(await isSignedIn(laptop)).to.equal(true);
    await loginAgent(app, { email: member.email, password: 'a new long passphrase' });
  });

  it('a disabled person is signed out at once and cannot sign in; enabled again, they can', async () => {
    const member = await makeMember();
    const phone = await loginAgent(app, member);
    const adminAgent = await loginAgent(app, admin);

    await postForm(adminAgent, `/admin/users/${member.id}/status`, { status: 'disabled' });
    expect(await isSignedIn(phone)).to.equal(false);
    let refused = false;
    await loginAgent(app, member).catch(() => (refused = true));
    expect(refused).to.equal(true);

    await postForm(adminAgent, `/admin/users/${member.id}/status`, { status: 'active' });
    await loginAgent(app, member);
  });

  it('after a session ends, an old form says "session ended", sign-out still works, and signing in starts afresh', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, member);
    const staleToken = csrfFrom((await agent.get('/me')).text);
    await ageSessions((s) => (s.signedInAt = Date.now() - 13 * 60 * MINUTE));

    const oldForm = await agent.post('/me/sessions/end').type('form').send({ _csrf: staleToken });
    expect(oldForm.headers.location).to.equal('/login?notice=sessionEnded');
    const signOut = await agent.post('/logout').type('form').send({ _csrf: staleToken });
    expect(signOut.headers.location).to.equal('/login?notice=loggedOut');
    // A shared phone keeps nothing of this person's quiz pages and answers for the next one.
    expect(signOut.headers['clear-site-data']).to.equal('"cache", "storage"');

    // Another tab still sends the ended session's cookie when it signs in from a page it had open.
    const loginPage = await request(app).get('/login');
    const anonCsrf = cookieNamed(loginPage, 'csrf')!;
    const credentials = { _csrf: csrfFrom(loginPage.text), email: member.email, password: member.password };
    const first = await request(app).post('/login').set('Cookie', anonCsrf).type('form').send(credentials);
    const staleSid = cookieNamed(first, 'sid')!;
    await ageSessions((s) => (s.signedInAt = Date.now() - 13 * 60 * MINUTE));

    const again = await request(app)
      .post('/login')
      .set('Cookie', `${staleSid}; ${anonCsrf}`)
      .type('form')
      .send(credentials);
    expect(again.status).to.equal(303);
    const fresh = cookieNamed(again, 'sid')!;
    expect(fresh).not.to.equal(staleSid);
    expect((await request(app).get('/').set('Cookie', fresh)).status).to.equal(200);
    expect(await sessions().countDocuments({})).to.equal(1);
  });

  it('a session ended by a reset cannot revive itself through "sign out everywhere else"', async () => {
    const member = await makeMember();
    const thief = await loginAgent(app, member);
    const thiefToken = csrfFrom((await thief.get('/me')).text);
    const adminAgent = await loginAgent(app, admin);
    const link = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);
    expect((await usePasswordLink(app, link, 'owner takes it back')).status).to.equal(303);

    const attempt = await thief.post('/me/sessions/end').type('form').send({ _csrf: thiefToken });
    expect(attempt.headers.location).to.equal('/login?notice=sessionEnded');
    expect(await isSignedIn(thief)).to.equal(false);
  });
});

describe('sessions: a sign-in is stored whole before its redirect goes out', () => {
  /** Every session write lands late, as on a busy database. */
  class SlowSessionStore extends CachedMongoStore {
    override set(sid: string, data: session.SessionData, cb?: (err?: unknown) => void): void {
      setTimeout(() => super.set(sid, data, cb), 300);
    }
  }

  it('so the next page, even if another instance serves it, finds the session with its sign-in time', async () => {
    await connectTestDb();
    const slowStore = new SlowSessionStore({
      client: mongoose.connection.getClient(),
      dbName: TEST_DB_NAME,
      collectionName: 'sessions',
      touchAfter: 60,
    });
    const app = await buildTestApp({ sessionStore: slowStore });
    const member = await makeMember();
    const loginPage = await request(app).get('/login');
    const token = csrfFrom(loginPage.text);
    const cookies = ((loginPage.headers['set-cookie'] as unknown as string[] | undefined) ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const server = createServer(app).listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const body = new URLSearchParams({ _csrf: token, email: member.email, password: member.password });
      // What the database holds at the moment the redirect's headers arrive, before its body ends.
      let responseEnded: Promise<unknown> = Promise.resolve();
      const storedAtRedirect = await new Promise<Record<string, unknown> | null>((resolve, reject) => {
        const req = httpRequest(
          {
            port,
            agent: false,
            method: 'POST',
            path: '/login',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
          },
          (res) => {
            expect(res.statusCode).to.equal(303);
            const sid = /sid=s%3A([^.;]+)/.exec((res.headers['set-cookie'] ?? []).join(';'))?.[1];
            sessions()
              .findOne({ _id: decodeURIComponent(sid ?? '') })
              .then((doc) => resolve(doc && (JSON.parse(doc.session) as Record<string, unknown>)), reject);
            // The response ends once express-session's own save has landed: nothing is left in flight.
            responseEnded = new Promise((ended) => res.on('end', ended));
            res.resume();
          },
        );
        req.on('error', reject);
        req.end(body.toString());
      });
      await responseEnded;
      expect(storedAtRedirect, 'stored session').to.not.equal(null);
      expect(storedAtRedirect!.signedInAt).to.be.a('number');
      expect(storedAtRedirect!.passport).to.have.nested.property('user.id');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
