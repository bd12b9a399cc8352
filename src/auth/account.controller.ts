import type { Request, RequestHandler, Response } from 'express';
import { ValidationError } from '../core/app-error.js';
import { parseForm, type FieldErrors } from '../core/validation.js';
import { endSessions, preparePassword, setPassword } from '../users/users.service.js';
import { authenticate, type LoginPolicy } from './auth.service.js';
import { changePasswordSchema } from './auth.schemas.js';
import type { DeviceCookies } from './device-cookie.js';
import { keepCurrentSession } from '../core/session-lifetime.js';

const NOTICES: Record<string, string> = {
  password: 'account.passwordChanged',
  sessions: 'account.sessionsEnded',
};

function renderAccount(req: Request, res: Response, status = 200, errors: FieldErrors = {}): void {
  const saved = typeof req.query.saved === 'string' ? NOTICES[req.query.saved] : undefined;
  res.status(status).render('auth/account', {
    title: req.t('account.title'),
    errors,
    values: {},
    notice: status === 200 ? saved : undefined,
  });
}

export const showAccount: RequestHandler = (req, res) => renderAccount(req, res);

/** Asks for the current password, through the same limits as a sign-in, so a borrowed session cannot guess it. */
export function changePassword(devices: DeviceCookies, policy: LoginPolicy | undefined): RequestHandler {
  return async (req, res) => {
    const me = req.user!;
    const form = parseForm(changePasswordSchema, req.body);
    if (!form.ok) return renderAccount(req, res, 422, form.errors);
    const client = { ip: req.ip ?? 'unknown', trustedDevice: devices.trustedFor(req, me.email) };
    const check = await authenticate(me.email, form.data.currentPassword, client, policy);
    if (!check.ok) {
      const key = check.reason === 'invalid' ? 'account.wrongPassword' : `auth.errors.${check.reason}`;
      return renderAccount(req, res, check.reason === 'invalid' ? 422 : 429, { currentPassword: key });
    }
    let generation: number | null;
    try {
      generation = await setPassword(
        me.id,
        await preparePassword(form.data.password, me.email),
        me.sessionGeneration,
      );
    } catch (err) {
      if (err instanceof ValidationError) return renderAccount(req, res, 422, { [err.field]: err.message });
      throw err;
    }
    // null: the account changed meanwhile (signed out elsewhere, roles changed): this session is over too.
    if (generation === null) return res.redirect(303, '/login?notice=sessionEnded');
    keepCurrentSession(req, generation);
    res.redirect(303, '/me?saved=password');
  };
}

/** Ends every other session of the signed-in person (a lost phone, a venue computer left signed in). */
export const endOtherSessions: RequestHandler = async (req, res) => {
  const generation = await endSessions(req.user!.id, req.user!.id);
  keepCurrentSession(req, generation);
  res.redirect(303, '/me?saved=sessions');
};
