import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PassportStatic } from 'passport';
import { AppError } from '../core/app-error.js';
import { formAction, type FormState } from '../core/form-action.js';
import { isLocale, LANG_COOKIE } from '../core/i18n.js';
import { safeLocalPath } from '../core/safe-redirect.js';
import { SESSION_COOKIE, type SessionPolicy } from '../core/session.js';
import { parseForm } from '../core/validation.js';
import { getRegistrationMode } from '../settings/settings.service.js';
import { createUser, setLocale } from '../users/users.service.js';
import type { DeviceCookies } from './device-cookie.js';
import type { LoginInfo } from './passport.js';
import { passwordLinkAccount, resetPassword } from './password-link.service.js';
import { endSession, startSession } from '../core/session-lifetime.js';
import { loginSchema, registerSchema, resetSchema } from './auth.schemas.js';
import { knownNotice } from '../core/notices.js';

const NOTICES = ['setupDone', 'passwordReset', 'loggedOut', 'registered', 'sessionEnded'];

export interface LoginDeps {
  passport: PassportStatic;
  devices: DeviceCookies;
  sessionPolicy: SessionPolicy;
}

async function renderLogin(
  req: Request,
  res: Response,
  deps: LoginDeps,
  status: number,
  extra: Record<string, unknown>,
): Promise<void> {
  res.status(status).render('auth/login', {
    title: req.t('auth.loginTitle'),
    values: {},
    errors: {},
    next: '',
    canRemember: deps.sessionPolicy.rememberMs > 0,
    canRegister: (await getRegistrationMode()) === 'open',
    ...extra,
  });
}

export function showLogin(deps: LoginDeps): RequestHandler {
  return async (req, res) => {
    if (req.user) {
      res.redirect(303, safeLocalPath(req.query.next));
      return;
    }
    await renderLogin(req, res, deps, 200, {
      next: safeLocalPath(req.query.next, ''),
      notice: knownNotice(req.query.notice, NOTICES, 'notices'),
    });
  };
}

const STATUS_BY_REASON: Record<LoginInfo['message'], number> = { invalid: 401, locked: 423, throttled: 429 };

function runPassport(passport: PassportStatic, req: Request, res: Response, next: NextFunction) {
  return new Promise<{ user: Express.User | false; info?: LoginInfo }>((resolve, reject) => {
    const handler = passport.authenticate(
      'local',
      (err: unknown, user: Express.User | false, info?: LoginInfo) => {
        if (err) reject(err instanceof Error ? err : new Error('authentication failed'));
        else resolve({ user, info });
      },
    ) as RequestHandler;
    void handler(req, res, next);
  });
}

export function postLogin(deps: LoginDeps): RequestHandler {
  return async (req, res, next) => {
    const form = parseForm(loginSchema, req.body);
    const nextPath = safeLocalPath((req.body as { next?: unknown } | undefined)?.next, '');
    if (!form.ok)
      return await renderLogin(req, res, deps, 422, {
        values: form.values,
        errors: form.errors,
        next: nextPath,
      });
    // passport-local reads the body: it gets the validated form, so the email is normalised once.
    req.body = form.data;
    const { user, info } = await runPassport(deps.passport, req, res, next);
    // One line per attempt, for spotting guessing; `checked` says whether a limit refused it first.
    const outcome = user ? 'success' : (info?.message ?? 'invalid');
    req.log?.info({ login: { outcome, checked: user ? true : !!info?.checked } }, 'sign-in attempt');
    if (!user) {
      const why = info?.message ?? 'invalid';
      return await renderLogin(req, res, deps, STATUS_BY_REASON[why], {
        values: { email: form.data.email, remember: form.data.remember ? 'on' : '' },
        formError: `auth.errors.${why}`,
        next: nextPath,
      });
    }
    await startSession(req, user, form.data.remember, deps.sessionPolicy);
    deps.devices.remember(req, res, user.email, user.credentialVersion);
    // The language someone chose on the sign-in page is the one they want now (a shared phone or a venue
    // computer may have been left in another): it becomes their saved language.
    const chosen: unknown = (req.cookies as Record<string, unknown>)[LANG_COOKIE];
    if (isLocale(chosen) && chosen !== user.locale) await setLocale(user.id, chosen);
    res.redirect(303, nextPath || '/');
  };
}

export const postLogout: RequestHandler = async (req, res) => {
  await endSession(req);
  res.clearCookie(SESSION_COOKIE, { path: '/' });
  // A shared phone: the quiz's offline copies (attempt pages, answers kept in the browser) must not be
  // there for whoever signs in next. "storage" also removes the service worker; "cookies" is left alone,
  // so the device cookie that spares this person a lock-out stays.
  res.setHeader('Clear-Site-Data', '"cache", "storage"');
  res.redirect(303, '/login?notice=loggedOut');
};

/** Registration pages exist only while an admin has opened registration. */
export const requireOpenRegistration: RequestHandler = async (_req, _res, next) => {
  if ((await getRegistrationMode()) !== 'open') throw AppError.notFound();
  next();
};

export const showRegister: RequestHandler = (req, res) => {
  res.render('auth/register', { title: req.t('auth.registerTitle'), values: {}, errors: {} });
};

export const postRegister = formAction({
  schema: registerSchema,
  render: (req, res, state) => res.render('auth/register', { title: req.t('auth.registerTitle'), ...state }),
  run: async (data, req) => {
    await createUser({ ...data, roles: ['member'], locale: req.locale });
    return '/login?notice=registered';
  },
});

function tokenParam(req: Request): string {
  const token = req.params.token;
  return typeof token === 'string' ? token : '';
}

/** The page carries the token in its address: it must not leak to another page through the Referer header. */
export const noReferrer: RequestHandler = (_req, res, next) => {
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/**
 * The account a password link is for: the link proves the right to see whose it is, and the page speaks
 * that person's language (the one staff chose for them) unless this browser chose another.
 */
export const loadLinkAccount: RequestHandler = async (req, res, next) => {
  const account = await passwordLinkAccount(tokenParam(req));
  if (!account) throw AppError.notFound('errors.resetInvalid');
  res.locals.account = account;
  req.preferLocale(account.locale);
  next();
};

function renderReset(req: Request, res: Response, state: FormState): void {
  res.render('auth/reset', { title: req.t('auth.resetTitle'), ...state, token: tokenParam(req) });
}

export const showReset: RequestHandler = (req, res) => renderReset(req, res, { values: {}, errors: {} });

/** Setting the password signs the person in: they have just proved who they are. */
export function postReset(sessionPolicy: SessionPolicy): RequestHandler {
  return formAction({
    schema: resetSchema,
    render: renderReset,
    run: async (data, req) => {
      const person = await resetPassword(tokenParam(req), data.password);
      await startSession(req, person, false, sessionPolicy);
      return '/?notice=passwordSet';
    },
  });
}
