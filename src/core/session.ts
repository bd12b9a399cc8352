import MongoStore from 'connect-mongo';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { MongoClient } from 'mongodb';

export const SESSION_COOKIE = 'sid';
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/** Sessions live in MongoDB so any app instance behind the proxy can serve any request. */
export function createSessionStore(client: MongoClient): session.Store {
  return MongoStore.create({
    client,
    collectionName: 'sessions',
    ttl: SESSION_TTL_SECONDS,
    autoRemove: 'native',
    touchAfter: 3600,
  });
}

export function sessionMiddleware(store: session.Store, secret: string): RequestHandler {
  return session({
    // A neutral name: the default "connect.sid" tells an attacker which framework runs here.
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // "auto": Secure whenever the request arrived over TLS (directly or, with TRUST_PROXY, via the proxy).
      secure: 'auto',
      maxAge: SESSION_TTL_SECONDS * 1000,
      path: '/',
    },
  });
}
