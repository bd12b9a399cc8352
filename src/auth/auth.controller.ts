import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PassportStatic } from 'passport';
import { AppError } from '../core/app-error.js';
import { safeLocalPath } from '../core/safe-redirect.js';
import { parseForm } from '../core/validation.js';
import { getRegistrationMode } from '../settings/settings.service.js';
import { isLocale, LANG_COOKIE, readCookie } from '../core/i18n.js';
import {
  createUser,
  isResetTokenValid,
  resetPassword,
  setLocale,
  ValidationError,
} from '../users/users.service.js';
import { loginSchema, registerSchema, resetSchema } from './auth.schemas.js';

const NOTICES = new Set(['setupDone', 'passwordReset', 'loggedOut', 'registered']);

function noticeFrom(req: Request): string | undefined {
  const n = req.query.notice;
  return typeof n === 'string' && NOTICES.has(n) ? `notices.${n}` : undefined;
}

export const showLogin: RequestHandler = (req, res) => {
  if (req.user) {
    res.redirect(303, safeLocalPath(req.query.next));
    return;
  }
  res.render('auth/login', {
    title: req.t('auth.loginTitle'),
    values: {},
    errors: {},
    next: safeLocalPath(req.query.next, ''),
    notice: noticeFrom(req),
  });
};

const STATUS_BY_REASON: Record<string, number> = { invalid: 401, locked: 423, throttled: 429 };

function runPassport(passport: PassportStatic, req: Request, res: Response, next: NextFunction) {
  return new Promise<{ user: Express.User | false; reason?: string }>((resolve, reject) => {
    const handler = passport.authenticate(
      'local',
      (err: unknown, user: Express.User | false, info?: { message?: string }) => {
        if (err) reject(err instanceof Error ? err : new Error('authentication failed'));
        else resolve({ user, reason: info?.message });
      },
    ) as RequestHandler;
    void handler(req, res, next);
  });
}

export function postLogin(passport: PassportStatic): RequestHandler {
  return async (req, res, next) => {
    const form = parseForm(loginSchema, req.body);
    const nextPath = safeLocalPath((req.body as { next?: unknown } | undefined)?.next, '');
    if (!form.ok) {
      res.status(422).render('auth/login', {
        title: req.t('auth.loginTitle'),
        values: form.values,
        errors: form.errors,
        next: nextPath,
      });
      return;
    }
    const { user, reason } = await runPassport(passport, req, res, next);
    if (!user) {
      const why = reason && reason in STATUS_BY_REASON ? reason : 'invalid';
      res.status(STATUS_BY_REASON[why] ?? 401).render('auth/login', {
        title: req.t('auth.loginTitle'),
        values: { email: form.data.email },
        errors: {},
        formError: `auth.errors.${why}`,
        next: nextPath,
      });
      return;
    }
    // passport regenerates the session inside logIn, so the pre-login session id is never reused.
    await new Promise<void>((resolve, reject) =>
      req.logIn(user, (err) => (err ? reject(err as Error) : resolve())),
    );
    // The language someone chose on the sign-in page is the one they want now (a shared phone or a venue
    // computer may have been left in another): it becomes their saved language.
    const chosen = readCookie(req.headers.cookie, LANG_COOKIE);
    if (isLocale(chosen) && chosen !== user.locale) await setLocale(user.id, chosen);
    res.redirect(303, nextPath || '/');
  };
}

export const postLogout: RequestHandler = async (req, res) => {
  await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err as Error) : resolve())));
  await new Promise<void>((resolve, reject) =>
    req.session.destroy((err) => (err ? reject(err as Error) : resolve())),
  );
  res.clearCookie(String(res.locals.sessionCookieName ?? 'sid'), { path: '/' });
  res.redirect(303, '/login?notice=loggedOut');
};

async function requireOpenRegistration(): Promise<void> {
  if ((await getRegistrationMode()) !== 'open') throw AppError.notFound();
}

export const showRegister: RequestHandler = async (req, res) => {
  await requireOpenRegistration();
  res.render('auth/register', { title: req.t('auth.registerTitle'), values: {}, errors: {} });
};

export const postRegister: RequestHandler = async (req, res) => {
  await requireOpenRegistration();
  const form = parseForm(registerSchema, req.body);
  const render = (errors: Record<string, string>, values: Record<string, string>) =>
    res.status(422).render('auth/register', { title: req.t('auth.registerTitle'), values, errors });
  if (!form.ok) return render(form.errors, form.values);
  try {
    await createUser({ ...form.data, roles: ['member'], locale: req.locale });
  } catch (err) {
    if (err instanceof ValidationError) {
      return render(
        { [err.field]: err.message },
        { email: form.data.email, displayName: form.data.displayName },
      );
    }
    throw err;
  }
  res.redirect(303, '/login?notice=registered');
};

function tokenParam(req: Request): string {
  const token = req.params.token;
  return typeof token === 'string' ? token : '';
}

export const showReset: RequestHandler = async (req, res) => {
  if (!(await isResetTokenValid(tokenParam(req)))) throw AppError.notFound('errors.resetInvalid');
  res.render('auth/reset', { title: req.t('auth.resetTitle'), errors: {}, token: tokenParam(req) });
};

export const postReset: RequestHandler = async (req, res) => {
  const token = tokenParam(req);
  const form = parseForm(resetSchema, req.body);
  const render = (errors: Record<string, string>) =>
    res.status(422).render('auth/reset', { title: req.t('auth.resetTitle'), errors, token });
  if (!form.ok) return render(form.errors);
  try {
    await resetPassword(token, form.data.password);
  } catch (err) {
    if (err instanceof ValidationError) return render({ [err.field]: err.message });
    throw err;
  }
  res.redirect(303, '/login?notice=passwordReset');
};
