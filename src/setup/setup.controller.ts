import type { RequestHandler } from 'express';
import { AppError } from '../core/app-error.js';
import { formAction } from '../core/form-action.js';
import { setupSchema } from './setup.schemas.js';
import { completeSetup, isSetupDone } from './setup.service.js';

/**
 * Whether first-run setup is done, remembered by one app once it is true: accounts are never all removed
 * through the app, so after that no request needs to ask the database.
 */
export function setupState(): { knownDone(): boolean; isDone(): Promise<boolean>; markDone(): void } {
  let done = false;
  return {
    knownDone: () => done,
    async isDone() {
      done ||= await isSetupDone();
      return done;
    },
    markDone() {
      done = true;
    },
  };
}

export type SetupState = ReturnType<typeof setupState>;

/** While nobody has an account, every page leads to /setup (static files and health probes excepted). */
export function setupGate(state: SetupState): RequestHandler {
  return async (req, res, next) => {
    // Once known, no need even to wait a microtask: every page passes through here.
    if (state.knownDone() || (await state.isDone())) return next();
    const open = ['/setup', '/healthz', '/readyz'].includes(req.path) || req.path.startsWith('/lang/');
    if (open) return next();
    res.redirect(303, '/setup');
  };
}

/** Once the first admin exists, /setup is gone. */
export function requireSetupPending(state: SetupState): RequestHandler {
  return async (_req, _res, next) => {
    if (await state.isDone()) throw AppError.notFound();
    next();
  };
}

export const showSetup: RequestHandler = (req, res) => {
  res.render('setup/setup', { title: req.t('setup.title'), values: {}, errors: {} });
};

export function postSetup(state: SetupState): RequestHandler {
  return formAction({
    schema: setupSchema,
    render: (req, res, form) => res.render('setup/setup', { title: req.t('setup.title'), ...form }),
    run: async (data, req) => {
      await completeSetup(data, req.locale);
      state.markDone();
      return '/login?notice=setupDone';
    },
  });
}
