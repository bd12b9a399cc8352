import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

const COOKIE = 'device';
const MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/**
 * A signed cookie given to a browser at a successful sign-in, naming the email it signed in with. It grants
 * nothing by itself: it only lets that browser's later attempts for that email be counted on their own
 * (see gatesFor), so a stranger who locks the account does not lock out its owner. The signature binds it
 * to the email, so it cannot be moved to another account.
 */
export interface DeviceCookies {
  /** The device id when the request carries a valid cookie for this email. */
  trustedFor(req: Request, email: string): string | undefined;
  remember(req: Request, res: Response, email: string): void;
}

export function deviceCookies(secret: string): DeviceCookies {
  const sign = (id: string, email: string) =>
    createHmac('sha256', secret).update(`device|${id}|${email}`).digest('base64url');
  return {
    trustedFor(req, email) {
      const value = (req.cookies as Record<string, unknown> | undefined)?.[COOKIE];
      if (typeof value !== 'string') return undefined;
      const [id, mac] = value.split('.');
      if (!id || !mac || !/^[\w-]{22}$/.test(id)) return undefined;
      const expected = Buffer.from(sign(id, email));
      const given = Buffer.from(mac);
      return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
    },
    remember(req, res, email) {
      const id = randomBytes(16).toString('base64url');
      res.cookie(COOKIE, `${id}.${sign(id, email)}`, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        maxAge: MAX_AGE_MS,
        path: '/',
      });
    },
  };
}
