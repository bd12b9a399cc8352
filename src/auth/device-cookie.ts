import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

const COOKIE = 'device';
const MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/**
 * A signed cookie given to a browser at a successful sign-in, naming the account it signed in to. It grants
 * nothing by itself: it only lets that browser's later attempts for that account be counted on their own
 * (see gatesFor), so a stranger who locks the account does not lock out its owner. The signature binds it
 * to the email and to the account's credential version, so it cannot be moved to another account, and a
 * new password, a role or a status change voids every such cookie (a thief keeps no extra allowance).
 * One per browser: on a shared computer, the last account signed in is the trusted one.
 */
export interface DeviceCookies {
  /** The device id when the request carries a valid cookie for this account. */
  trustedFor(req: Request, email: string, credentialVersion: number): string | undefined;
  remember(req: Request, res: Response, email: string, credentialVersion: number): void;
}

export function deviceCookies(secret: string): DeviceCookies {
  const sign = (id: string, email: string, version: number) =>
    createHmac('sha256', secret).update(`device|${id}|${email}|${version}`).digest('base64url');
  return {
    trustedFor(req, email, credentialVersion) {
      const value = (req.cookies as Record<string, unknown> | undefined)?.[COOKIE];
      if (typeof value !== 'string') return undefined;
      const [id, mac] = value.split('.');
      if (!id || !mac || !/^[\w-]{22}$/.test(id)) return undefined;
      const expected = Buffer.from(sign(id, email, credentialVersion));
      const given = Buffer.from(mac);
      return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
    },
    remember(req, res, email, credentialVersion) {
      const id = randomBytes(16).toString('base64url');
      res.cookie(COOKIE, `${id}.${sign(id, email, credentialVersion)}`, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        maxAge: MAX_AGE_MS,
        path: '/',
      });
    },
  };
}
