import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { findSessionUser, type SessionUser } from '../users/users.service.js';
import { authenticate, DEFAULT_LOGIN_POLICY, type LoginPolicy, type LoginRefusal } from './auth.service.js';
import type { DeviceCookies } from './device-cookie.js';
import type { SessionRef } from '../core/session-lifetime.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

export interface LoginInfo {
  message: LoginRefusal;
  checked: boolean;
}

/** A passport instance per app, so tests can build several apps with different policies side by side. */
export function createPassport(
  devices: DeviceCookies,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): PassportStatic {
  const instance = new passport.Passport() as PassportStatic;
  instance.use(
    new LocalStrategy(
      // The login controller has already replaced the body with its validated form (email trimmed and lowercased).
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true },
      (req, email, password, done) => {
        const client = {
          ip: req.ip ?? 'unknown',
          trustedDevice: (version: number) => devices.trustedFor(req, email, version),
        };
        authenticate(email, password, client, policy).then(
          (result) => {
            if (result.ok) return done(null, result.user);
            const info: LoginInfo = { message: result.reason, checked: result.checked };
            done(null, false, info);
          },
          (err: unknown) => done(err),
        );
      },
    ),
  );
  // Only the id and generation go into the session; roles and locale are read fresh on every request.
  instance.serializeUser((user, done) =>
    done(null, { id: user.id, gen: user.sessionGeneration } satisfies SessionRef),
  );
  instance.deserializeUser((ref: unknown, done) => {
    const { id, gen } = (ref ?? {}) as Partial<SessionRef>;
    if (typeof id !== 'string' || typeof gen !== 'number') {
      done(null, false);
      return;
    }
    findSessionUser(id).then(
      // A password reset, a role or status change, or "sign out everywhere" raised the generation: this
      // session ended then.
      (user) => done(null, user && user.sessionGeneration === gen ? user : false),
      (err: unknown) => done(err),
    );
  });
  return instance;
}
