import { Router } from 'express';
import { requireAuth } from '../core/guards.js';
import type { LoginPolicy } from './auth.service.js';
import * as account from './account.controller.js';
import * as auth from './auth.controller.js';

/** Sign-in limits live in the auth service (MongoDB counters), so they hold across app instances. */
export function authRoutes(deps: auth.LoginDeps & { loginPolicy?: LoginPolicy }): Router {
  const router = Router();
  router.get('/login', auth.showLogin(deps));
  router.post('/login', auth.postLogin(deps));
  router.post('/logout', auth.postLogout);
  router.get('/register', auth.requireOpenRegistration, auth.showRegister);
  router.post('/register', auth.requireOpenRegistration, auth.postRegister);
  router.get('/reset/:token', auth.noReferrer, auth.loadLinkAccount, auth.showReset);
  router.post('/reset/:token', auth.noReferrer, auth.loadLinkAccount, auth.postReset(deps.sessionPolicy));
  router.get('/me', requireAuth, account.showAccount);
  router.post('/me/password', requireAuth, account.changePassword(deps.devices, deps.loginPolicy));
  router.post('/me/sessions/end', requireAuth, account.endOtherSessions);
  return router;
}
