import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { findSessionUser, type SessionUser } from '../users/users.service.js';
import { authenticate, DEFAULT_LOGIN_POLICY, type LoginPolicy } from './auth.service.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

/** A passport instance per app, so tests can build several apps with different policies side by side. */
export function createPassport(policy: LoginPolicy = DEFAULT_LOGIN_POLICY): PassportStatic {
  const instance = new passport.Passport() as PassportStatic;
  instance.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true },
      (req, email, password, done) => {
        authenticate(email, password, req.ip ?? 'unknown', policy).then(
          (result) => (result.ok ? done(null, result.user) : done(null, false, { message: result.reason })),
          (err: unknown) => done(err),
        );
      },
    ),
  );
  // Only the id goes into the session; roles and locale are read fresh on every request.
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: string, done) => {
    findSessionUser(String(id)).then(
      (user) => done(null, user ?? false),
      (err: unknown) => done(err),
    );
  });
  return instance;
}
