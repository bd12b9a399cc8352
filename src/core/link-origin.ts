import type { Request } from 'express';
import { AppError } from './app-error.js';

// A host name or address with an optional port, nothing else: a forged Host header cannot smuggle in
// "user@evil.example" or carry a path.
const PLAIN_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin links are built on: BASE_URL, or without it (development and single-machine use only: config
 * requires it in production and whenever links are mailed) the Host header, which the client chose. Such
 * a link is only shown or handed to the same person whose browser sent that header, so a forged one fools
 * nobody else; a malformed one is refused rather than echoed into a link.
 */
export function linkOrigin(req: Request, baseUrl: string | undefined): string {
  if (baseUrl) return baseUrl.replace(/\/+$/, '');
  const host = req.get('host') ?? '';
  if (!PLAIN_HOST.test(host)) throw new AppError(400, 'errors.badRequest');
  return `${req.protocol === 'https' ? 'https' : 'http'}://${host}`;
}
