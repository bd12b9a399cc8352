import type { Request, RequestHandler, Response } from 'express';
import { ValidationError } from '../core/app-error.js';
import { formAction } from '../core/form-action.js';
import type { FieldErrors } from '../core/validation.js';
import { endSessions, setPassword } from '../users/user-access.service.js';
import { preparePassword } from '../users/users.service.js';
import { authenticate, type LoginPolicy } from './auth.service.js';
import { changePasswordSchema } from './auth.schemas.js';
import type { DeviceCookies } from './device-cookie.js';
import { keepCurrentSession } from '../core/session-lifetime.js';

const NOTICES: Record<string, string> = {
  password: 'account.passwordChanged',
  sessions: 'account.sessionsEnded',
};

function renderAccount(req: Request, res: Response, errors: FieldErrors = {}): void {
  const saved = typeof req.query.saved === 'string' ? NOTICES[req.query.saved] : undefined;
  res.render('auth/account', {
    title: req.t('account.title'),
    errors,
    values: {},
    notice: res.statusCode === 200 ? saved : undefined,
  });
}

export const showAccount: RequestHandler = (req, res) => renderAccount(req, res);

/** Asks for the current password, through the same limits as a sign-in, so a borrowed session cannot guess it. */
export function changePassword(devices: DeviceCookies, policy: LoginPolicy | undefined): RequestHandler {
  return formAction({
    schema: changePasswordSchema,
    render: (req, res, state) => renderAccount(req, res, state.errors),
    run: async (data, req) => {
      const me = req.user!;
      const client = {
        ip: req.ip ?? 'unknown',
        trustedDevice: (version: number) => devices.trustedFor(req, me.email, version),
      };
      const check = await authenticate(me.email, data.currentPassword, client, policy);
      if (!check.ok) {
        if (check.reason === 'invalid') throw new ValidationError('currentPassword', 'account.wrongPassword');
        throw new ValidationError(
          'currentPassword',
          `auth.errors.${check.reason}`,
          LIMIT_STATUS[check.reason],
        );
      }
      const prepared = await preparePassword(data.password, me.email);
      const generation = await setPassword(me.id, prepared, { sessionGeneration: me.sessionGeneration });
      // null: the account changed meanwhile (signed out elsewhere, roles changed): this session is over too.
      if (generation === null) return '/login?notice=sessionEnded';
      keepCurrentSession(req, generation);
      return '/me?saved=password';
    },
  });
}

const LIMIT_STATUS = { locked: 423, throttled: 429 } as const;

/** Ends every other session of the signed-in person (a lost phone, a venue computer left signed in). */
export const endOtherSessions: RequestHandler = async (req, res) => {
  const me = req.user!;
  // From this session's own generation: a session ended meanwhile (say by a reset) cannot revive itself here.
  const generation = await endSessions(me.id, me.id, me.sessionGeneration);
  if (generation === null) return res.redirect(303, '/login?notice=sessionEnded');
  keepCurrentSession(req, generation);
  res.redirect(303, '/me?saved=sessions');
};
