import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import session from 'express-session';
import type { Express } from 'express';
import request from 'supertest';
import {
  buildTestApp,
  connectTestDb,
  disconnectTestDb,
  TEST_SESSION_SECRET,
} from '../helpers/app-harness.js';
import { completeFirstRun, csrfFrom, loginAgent, makeMember } from '../helpers/factories.js';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';

describe('error pages, limits, headers and health probes', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp({
      config: { isProduction: true, trustProxy: false, baseUrl: undefined, env: 'production' },
    });
    await completeFirstRun();
  });

  it('an unknown page is a 404 page in the layout', async () => {
    const res = await request(app).get('/no/such/page');
    expect(res.status).to.equal(404);
    expect(res.text).to.contain('<h1>Page not found</h1>');
  });

  it('a malformed JSON body is a 400 that shows no stack trace in production', async () => {
    const res = await request(app)
      .post('/login')
      .set('Content-Type', 'application/json')
      .set('Accept', 'text/html')
      .send('{"email": ');
    expect(res.status).to.equal(400);
    expect(res.text).not.to.contain('SyntaxError');
    expect(res.text).not.to.match(/node_modules|\.ts:\d+/);
  });

  it('a body over the size limit is refused with 413', async () => {
    const res = await request(app)
      .post('/login')
      .type('form')
      .send(`email=${'a'.repeat(200_000)}`);
    expect(res.status).to.equal(413);
  });

  it('pages carry a strict Content-Security-Policy without inline script', async () => {
    const res = await request(app).get('/login');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.contain("script-src 'self'");
    expect(csp).not.to.contain('unsafe-inline');
    expect(res.text).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('the session and CSRF cookies are httpOnly and sameSite=lax, and marked Secure when the request came over TLS via a trusted proxy', async () => {
    const proxied = await buildTestApp({
      config: { isProduction: true, trustProxy: 1, baseUrl: undefined, env: 'production' },
    });
    const member = await makeMember();
    const page = await request(proxied).get('/login').set('X-Forwarded-Proto', 'https');
    const [csrfCookie] = page.headers['set-cookie'] as unknown as string[];
    // Over TLS the CSRF cookie takes the __Host- prefix, which no sibling subdomain can set.
    expect(csrfCookie).to.match(/^__Host-csrf=/);
    const login = await request(proxied)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', csrfCookie!.split(';')[0]!)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: member.email, password: member.password });
    expect(login.status).to.equal(303);
    const sid = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sid='));
    for (const cookie of [csrfCookie!, sid!]) {
      expect(cookie).to.contain('HttpOnly');
      expect(cookie).to.contain('SameSite=Lax');
      expect(cookie).to.contain('Secure');
    }
  });

  it('/healthz answers 200 and /readyz pings the database', async () => {
    expect((await request(app).get('/healthz')).body).to.deep.equal({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ status: 'ready' });
  });

  it('every response carries a request id, and a sane incoming one is kept', async () => {
    const res = await request(app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).to.equal('abc-123');
    const fresh = await request(app).get('/healthz');
    expect(fresh.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });
});

/** A session store whose database is gone: every read fails, with a message that must not reach the page. */
class UnreachableStore extends session.Store {
  get(_sid: string, cb: (err: unknown) => void): void {
    cb(new Error('connection refused at /srv/sabaq/src/core/database.ts:42'));
  }
  set(_sid: string, _data: session.SessionData, cb?: (err?: unknown) => void): void {
    cb?.();
  }
  destroy(_sid: string, cb?: (err?: unknown) => void): void {
    cb?.();
  }
}

describe('a failure before the page knows its language', () => {
  it("is a 500 in the reader's language, never a raw message key or a stack trace", async () => {
    const app = await buildTestApp({
      sessionStore: new UnreachableStore(),
      config: { isProduction: true, trustProxy: false, baseUrl: undefined, env: 'production' },
    });
    await completeFirstRun();
    const mac = createHmac('sha256', TEST_SESSION_SECRET).update('abc').digest('base64').replace(/=+$/, '');
    const cookie = `sid=${encodeURIComponent(`s:abc.${mac}`)}`;

    const en = await request(app).get('/login').set('Cookie', cookie);
    const fa = await request(app).get('/login').set('Cookie', `${cookie}; lang=fa-AF`);

    expect(en.status).to.equal(500);
    expect(en.text).to.contain('An unexpected error happened.');
    expect(fa.text).to.contain('یک خطای غیرمنتظره رخ داد');
    for (const res of [en, fa]) {
      expect(res.text).not.to.contain('errors.');
      expect(res.text).not.to.match(/database\.ts|connection refused/);
    }
  });
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
    const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(
      (await request(app).get('/login')).text,
    )![1]!;
    expect((await request(app).get(stylesheet)).headers['cache-control']).to.equal(
      'public, max-age=31536000, immutable',
    );
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
    // The whole app on a database that is down: its models and sessions are on this connection.
    await disconnectTestDb();
    const deadConnection = mongoose.createConnection('mongodb://127.0.0.1:1/x', {
      serverSelectionTimeoutMS: 200,
    });
    deadConnection.set('bufferTimeoutMS', 300);
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
      await connectTestDb();
    }
  });
});
