import type { RequestHandler } from 'express';
import { AppError, ValidationError } from '../core/app-error.js';
import { parseForm } from '../core/validation.js';
import { setupSchema } from './setup.schemas.js';
import { completeSetup, isSetupDone } from './setup.service.js';

/** While nobody has an account, every page leads to /setup (static files and health probes excepted). */
export const setupGate: RequestHandler = async (req, res, next) => {
  if (await isSetupDone()) return next();
  const open = ['/setup', '/healthz', '/readyz'].includes(req.path) || req.path.startsWith('/lang/');
  if (open) return next();
  res.redirect(303, '/setup');
};

export const showSetup: RequestHandler = async (req, res) => {
  if (await isSetupDone()) throw AppError.notFound();
  res.render('setup/setup', { title: req.t('setup.title'), values: {}, errors: {} });
};

export const postSetup: RequestHandler = async (req, res) => {
  if (await isSetupDone()) throw AppError.notFound();
  const form = parseForm(setupSchema, req.body);
  const render = (errors: Record<string, string>, values: Record<string, string>) =>
    res.status(422).render('setup/setup', { title: req.t('setup.title'), values, errors });
  if (!form.ok) return render(form.errors, form.values);
  try {
    await completeSetup(form.data, req.locale);
  } catch (err) {
    if (err instanceof ValidationError) {
      const { password: _p, passwordConfirm: _c, ...values } = form.data;
      return render({ [err.field]: err.message }, values);
    }
    throw err;
  }
  res.redirect(303, '/login?notice=setupDone');
};
