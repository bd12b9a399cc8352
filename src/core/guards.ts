import type { RequestHandler } from 'express';
import { AppError } from './app-error.js';
import { hasRole, type Role } from './roles.js';

/** Anonymous visitors go to the login page and come back to where they were going afterwards. */
export const requireAuth: RequestHandler = (req, res, next) => {
  if (req.user) {
    next();
    return;
  }
  const back = req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : '/';
  const notice = req.sessionEnded ? '&notice=sessionEnded' : '';
  res.redirect(303, `/login?next=${encodeURIComponent(back)}${notice}`);
};

/** Passes when the signed-in user holds at least one of the roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      requireAuth(req, res, next);
      return;
    }
    if (!hasRole(req.user, ...roles)) throw AppError.forbidden();
    next();
  };
}
