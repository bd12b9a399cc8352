import { Router } from 'express';
import type { PassportStatic } from 'passport';
import * as auth from './auth.controller.js';

/** Login throttling lives in the auth service (MongoDB counters), so it holds across app instances. */
export function authRoutes(passport: PassportStatic): Router {
  const router = Router();
  router.get('/login', auth.showLogin);
  router.post('/login', auth.postLogin(passport));
  router.post('/logout', auth.postLogout);
  router.get('/register', auth.showRegister);
  router.post('/register', auth.postRegister);
  router.get('/reset/:token', auth.showReset);
  router.post('/reset/:token', auth.postReset);
  return router;
}
