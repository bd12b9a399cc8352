import type { Request, RequestHandler } from 'express';
import { SESSION_COOKIE, type SessionPolicy } from './session.js';

/** What a signed-in session stores: the account and the session generation it was signed in with. */
export interface SessionRef {
  id: string;
  gen: number;
}

declare module 'express-session' {
  interface SessionData {
    passport?: { user?: SessionRef };
    /** When the person signed in (ms since the epoch): the absolute lifetime counts from here. */
    signedInAt?: number;
    /** "Keep me signed in on this device" was ticked. */
    remember?: boolean;
  }
}

function promisify(fn: (cb: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) =>
    fn((err) =>
      err
        ? reject(err instanceof Error ? err : new Error('session store failed', { cause: err }))
        : resolve(),
    ),
  );
}

/**
 * Ends, at its next request, a session past its absolute lifetime or one whose account no longer accepts it
 * (passport found no user: disabled, or the session generation moved on). The stored session is destroyed
 * and the request goes on as anonymous, without a session object, so nothing is stored for it again
 * (express-session would store a regenerated one); startSession makes a new one if this request signs in.
 */
export function sessionLifetime(policy: SessionPolicy): RequestHandler {
  return async (req, res, next) => {
    const s = req.session;
    if (!s?.passport) return next();
    if (req.user) {
      const limit = s.remember ? policy.rememberMs : policy.absoluteMs;
      if (typeof s.signedInAt === 'number' && Date.now() - s.signedInAt <= limit) return next();
    }
    req.user = undefined;
    await promisify((cb) => s.destroy(cb));
    req.sessionEnded = true;
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    next();
  };
}

/** Signs the person in on a new session (passport regenerates it, so a pre-login id is never reused). */
export async function startSession(
  req: Request,
  user: Express.User,
  remember: boolean,
  policy: SessionPolicy,
): Promise<void> {
  // This request's own session was ended above (it came with an expired one): start from a fresh one.
  if (!req.session) req.sessionStore.generate(req);
  const keep = remember && policy.rememberMs > 0;
  // Set before logIn, which regenerates the session keeping them and stores it before it returns: the
  // session is complete in the database before the redirect goes out. Set after, they would be stored only
  // by express-session's own save, which sends the redirect's headers first, so the next page, served by
  // another instance, could read the session without signedInAt and end it.
  req.session.signedInAt = Date.now();
  req.session.remember = keep;
  req.session.cookie.maxAge = keep ? policy.rememberMs : policy.idleMs;
  await promisify((cb) => req.logIn(user, { session: true, keepSessionInfo: true }, cb));
}

/** After a change that raised the person's own session generation, keeps the session they made it from. */
export function keepCurrentSession(req: Request, generation: number): void {
  if (req.user && req.session.passport?.user) {
    req.session.passport.user = { id: req.user.id, gen: generation };
    req.user.sessionGeneration = generation;
  }
}

export async function endSession(req: Request): Promise<void> {
  if (!req.session) return;
  await promisify((cb) => req.logout(cb));
  await promisify((cb) => req.session.destroy(cb));
}
