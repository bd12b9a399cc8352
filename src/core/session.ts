import { CachedMongoStore } from './cached-session-store.js';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { MongoClient } from 'mongodb';

export const SESSION_COOKIE = 'sid';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request came with a session that had just ended (expired, or ended by a change to the account). */
    sessionEnded?: boolean;
  }
}

/** How long a sign-in lasts. See the README's security section for why these defaults. */
export interface SessionPolicy {
  /** A session not used for this long ends (OWASP ASVS 3.3.2: 30 minutes). */
  idleMs: number;
  /** A session ends this long after sign-in however active it is (ASVS 3.3.2: 12 hours). */
  absoluteMs: number;
  /** "Keep me signed in on this device": both limits become this. 0 turns the choice off. */
  rememberMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 30 * 60 * 1000,
  absoluteMs: 12 * 3600 * 1000,
  rememberMs: 30 * 24 * 3600 * 1000,
};

/**
 * Sessions live in MongoDB, in the app's own database, so any app instance behind the proxy can serve any
 * request; each instance keeps those it has read in memory (CachedMongoStore). A session's stored expiry
 * follows its cookie (idle or remembered); rolling sessions touch the store at most once a minute, so an
 * idle timeout is exact to about a minute without a write per request.
 */
export function createSessionStore(client: MongoClient, dbName: string): session.Store {
  return new CachedMongoStore({
    client,
    dbName,
    collectionName: 'sessions',
    autoRemove: 'native',
    touchAfter: 60,
  });
}

export function sessionMiddleware(
  store: session.Store,
  secret: string,
  policy: SessionPolicy,
): RequestHandler {
  return session({
    // A neutral name: the default "connect.sid" tells an attacker which framework runs here.
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    // Nothing is stored for a visitor until they sign in: anonymous pages carry their CSRF token in a
    // cookie instead (see security.ts), so page views cannot fill the store.
    saveUninitialized: false,
    // Every response pushes the cookie's expiry forward: that is the idle timeout.
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // "auto": Secure whenever the request arrived over TLS (directly or, with TRUST_PROXY, via the proxy).
      secure: 'auto',
      maxAge: policy.idleMs,
      path: '/',
    },
  });
}
