import { pino, type Logger } from 'pino';

/** Paths pino must never print: credentials, session cookies and form secrets. */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'sessionSecret',
  '*.sessionSecret',
];

/** `destination`: where lines go (standard output when absent), e.g. a stream a test reads. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: redactPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

/**
 * Request addresses as logs may show them: one-time tokens in a path (/reset/<token>) and CSRF tokens in a
 * query are replaced, since a log line is read by more people, and kept longer, than the database that
 * stores only their hashes.
 */
export function redactUrl(url: string): string {
  // Case-insensitive and anywhere in the address: routing matches /RESET/… and absolute-form targets too.
  return url
    .replace(/(\/reset\/)[^/?#]+/gi, '$1[redacted]')
    .replace(/([?&](?:_csrf|token)=)[^&#]*/gi, '$1[redacted]');
}
