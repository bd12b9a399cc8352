import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import session from 'express-session';
import type { Express } from 'express';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import request from 'supertest';
import { PasswordLink } from '../../src/auth/password-link.model.js';
import { verifyPassword } from '../../src/users/passwords.js';
import { Settings } from '../../src/settings/settings.model.js';
import { User } from '../../src/users/user.model.js';
import { issuePasswordLink } from '../../src/auth/password-link.service.js';
import { buildTestApp, TEST_SESSION_SECRET } from '../helpers/app-harness.js';
import {
  agentWithToken,
  completeFirstRun,
  csrfFrom,
  loginAgent,
  makeMember,
  tokenFor,
  type TestUser,
} from '../helpers/factories.js';

describe('adversarial: redirects after sign-in', () => {
  let app: Express;
  let admin: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  for (const evil of [
    '/..//evil.example',
    '/.//evil.example/x',
    '/%2e%2e//evil.example',
    '/a/..//evil.example',
  ]) {
    it(`a return path of ${evil} is not turned into //evil.example by dot-segment resolution`, async () => {
      const { agent, token } = await agentWithToken(app);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, email: admin.email, password: admin.password, next: evil });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/');
      // Already signed in, the login page redirects straight away: the same rule applies.
      const again = await agent.get(`/login?next=${encodeURIComponent(evil)}`);
      expect(again.headers.location).to.equal('/');
    });
  }
});

describe('adversarial: pages are never cached', () => {
  it('signed-in pages, the login form and error pages say Cache-Control: no-store; static files may be cached', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const agent = await loginAgent(app, admin);

    for (const path of ['/', '/admin/users', '/admin/settings', '/no-such-page']) {
      const res = await agent.get(path);
      expect(res.headers['cache-control'], path).to.equal('no-store');
    }
    expect((await request(app).get('/login')).headers['cache-control']).to.equal('no-store');
    const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec((await request(app).get('/login')).text)![1]!;
    expect((await request(app).get(stylesheet)).headers['cache-control']).to.equal(
      'public, max-age=31536000, immutable',
    );
  });
});

describe('adversarial: invisible and control characters in names', () => {
  let app: Express;
  let agent: Awaited<ReturnType<typeof loginAgent>>;

  beforeEach(async () => {
    app = await buildTestApp();
    agent = await loginAgent(app, await completeFirstRun());
  });

  for (const [label, name] of [
    ['a right-to-left override (U+202E)', 'Farid \u202Enimda'],
    ['a NUL byte', 'Farid\u0000Noori'],
    ['an escape character', 'Farid \u001b[31mNoori'],
    ['a left-to-right isolate (U+2066)', '\u2066Farid'],
  ]) {
    it(`a display name with ${label} is refused with 422 and a readable message; no account is made`, async () => {
      const token = await tokenFor(agent, '/admin/users/new');
      const res = await agent
        .post('/admin/users')
        .type('form')
        .send({ _csrf: token, email: 'farid@example.org', displayName: name, roles: 'member' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('characters that cannot be shown');
      expect(await User.exists({ email: 'farid@example.org' })).to.equal(null);
    });
  }

  it('a display name of only zero-width characters counts as empty (422 "fill in")', async () => {
    const token = await tokenFor(agent, '/admin/users/new');
    const res = await agent.post('/admin/users').type('form').send({
      _csrf: token,
      email: 'zw@example.org',
      displayName: '\u200B\u200C\u200D\uFEFF ',
      roles: 'member',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please fill in this field.');
    expect(await User.exists({ email: 'zw@example.org' })).to.equal(null);
  });

  it('a Dari name with a zero-width non-joiner, which Dari spelling needs, is accepted as typed', async () => {
    const token = await tokenFor(agent, '/admin/users/new');
    const name = 'عبدالله نور\u200Cزاده';
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'noorzada@example.org', displayName: name, roles: 'member' });
    expect(res.status).to.equal(201);
    expect((await User.findOne({ email: 'noorzada@example.org' }).lean())?.displayName).to.equal(name);
  });

  it('an organisation name with a bidi override is refused with 422 and the stored name is unchanged', async () => {
    const token = await tokenFor(agent, '/admin/settings');
    const res = await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: token, organisationName: 'Network \u202Eevil', registrationMode: 'invite' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('characters that cannot be shown');
    expect((await Settings.findOne({}).lean())?.organisationName).to.equal('Test Network');
  });

  it('JSON with query operators where a form is expected is a 422 on sign-in, not a filter', async () => {
    const { agent: anon, token } = await agentWithToken(app);
    const res = await anon
      .post('/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ _csrf: token, email: { $gt: '' }, password: { $ne: null } }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please fill in this field.');
  });
});

function linkOn(html: string): string | undefined {
  return /id="reset-link"[^>]*value="([^"]+)"/.exec(html)?.[1];
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

/** A session store in front of a database that does not answer: reads fail with the driver's real error. */
class DeadDatabaseStore extends session.Store {
  constructor(private readonly failure: Error) {
    super();
  }
  get(_sid: string, cb: (err: unknown) => void): void {
    cb(this.failure);
  }
  set(_sid: string, _data: session.SessionData, cb?: (err?: unknown) => void): void {
    cb?.(this.failure);
  }
  destroy(_sid: string, cb?: (err?: unknown) => void): void {
    cb?.(this.failure);
  }
}

describe('adversarial: the database is down', () => {
  it('pages answer 503 with a friendly message in the reader’s language and Retry-After; /readyz is 503', async () => {
    const deadClient = new MongoClient('mongodb://127.0.0.1:1/x', { serverSelectionTimeoutMS: 200 });
    const failure = (await deadClient.connect().then(
      () => new Error('unexpectedly connected'),
      (err: unknown) => err,
    )) as Error;
    expect(failure.name).to.equal('MongoServerSelectionError');
    const deadConnection = mongoose.createConnection('mongodb://127.0.0.1:1/x', {
      serverSelectionTimeoutMS: 200,
    });
    deadConnection.on('error', () => undefined);
    try {
      const app = await buildTestApp({
        sessionStore: new DeadDatabaseStore(failure),
        connection: deadConnection,
        config: {
          isProduction: true,
          trustProxy: false,
          baseUrl: 'https://sabaq.example.org',
          env: 'production',
        },
      });
      await completeFirstRun();
      const mac = createHmac('sha256', TEST_SESSION_SECRET).update('abc').digest('base64').replace(/=+$/, '');
      const cookie = `sid=${encodeURIComponent(`s:abc.${mac}`)}`;

      const en = await request(app).get('/admin/users').set('Cookie', cookie);
      const fa = await request(app).get('/login').set('Cookie', `${cookie}; lang=fa-AF`);
      const json = await request(app).get('/').set('Cookie', cookie).set('Accept', 'application/json');

      expect(en.status).to.equal(503);
      expect(en.headers['retry-after']).to.equal('30');
      expect(en.text).to.contain('Please try again in a minute.');
      expect(fa.status).to.equal(503);
      expect(fa.text).to.contain('یک دقیقه بعد دوباره کوشش کنید');
      expect(json.status).to.equal(503);
      expect((json.body as { error: { message: string } }).error.message).to.contain('try again');
      for (const res of [en, fa])
        expect(res.text).not.to.match(/ECONNREFUSED|127\.0\.0\.1|errors\.|at \w+ \(/);
      expect((await request(app).get('/readyz')).status).to.equal(503);
    } finally {
      await deadClient.close();
      await deadConnection.close();
    }
  });
});
