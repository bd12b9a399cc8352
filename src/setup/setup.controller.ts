import type { RequestHandler } from 'express';
import { AppError } from '../core/app-error.js';
import { formAction } from '../core/form-action.js';
import { setupSchema } from './setup.schemas.js';
import { completeSetup, isSetupDone } from './setup.service.js';

/** While nobody has an account, every page leads to /setup (static files and health probes excepted). */
export const setupGate: RequestHandler = async (req, res, next) => {
  if (await isSetupDone()) return next();
  const open = ['/setup', '/healthz', '/readyz'].includes(req.path) || req.path.startsWith('/lang/');
  if (open) return next();
  res.redirect(303, '/setup');
};

/** Once the first admin exists, /setup is gone. */
export const requireSetupPending: RequestHandler = async (_req, _res, next) => {
  if (await isSetupDone()) throw AppError.notFound();
  next();
};

export const showSetup: RequestHandler = (req, res) => {
  res.render('setup/setup', { title: req.t('setup.title'), values: {}, errors: {} });
};

export const postSetup = formAction({
  schema: setupSchema,
  render: (req, res, state) => res.render('setup/setup', { title: req.t('setup.title'), ...state }),
  run: async (data, req) => {
    await completeSetup(data, req.locale);
    return '/login?notice=setupDone';
  },
});
