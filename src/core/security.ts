import helmet from 'helmet';
import { createHmac } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler } from 'express';

/** Strict CSP: scripts and styles only from our origin, no inline code, no framing. */
export function securityHeaders(isProduction: boolean): RequestHandler {
  return precomputed(helmetFor(isProduction));
}

/**
 * helmet sets the same headers on every response (no per-request nonce here), through a chain of fourteen
 * middleware functions. They are worked out once, by running helmet against a recording response, and then
 * set in one step.
 */
function precomputed(middleware: RequestHandler): RequestHandler {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  };
  let done = false;
  void middleware(
    {} as Parameters<RequestHandler>[0],
    recorder as unknown as Parameters<RequestHandler>[1],
    () => {
      done = true;
    },
  );
  if (!done) throw new Error('security headers did not finish synchronously');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

function helmetFor(isProduction: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        mediaSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only in production: on plain-HTTP development hosts it would break every sub-resource.
        ...(isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: isProduction,
    referrerPolicy: { policy: 'same-origin' },
  });
}

function tokenFromRequest(req: Request): string | undefined {
  // A multipart body is parsed later, by the route's multer, so upload forms carry the token in their action
  // URL (`?_csrf=...`); the logger strips it from logged URLs. Each kind of request has one place for it.
  if (req.is('multipart/form-data')) return typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = req.body as Record<string, unknown> | undefined;
  return body && typeof body._csrf === 'string' ? body._csrf : undefined;
}

/**
 * CSRF protection without server-side state: the signed double-submit cookie pattern (OWASP). The token is
 * an HMAC over a random value and, once someone is signed in, their session id; it sits in an httpOnly
 * cookie and in every form, and a state-changing request must bring both, equal and correctly signed.
 * Keeping it out of the session is what lets an anonymous page carry a form (sign-in, the language switch)
 * without storing a session for every visitor. Views get it as `csrfToken`.
 */
export function csrfProtection(secret: string): { protect: RequestHandler; exposeToken: RequestHandler } {
  // Over TLS the cookie gets the __Host- prefix, which a sibling subdomain cannot set or overwrite.
  const variants = [true, false].map((secure) =>
    doubleCsrf({
      getSecret: () => secret,
      // Anonymous requests share one identifier; the token changes at sign-in, when the session id appears.
      getSessionIdentifier: (req) => (req.user ? req.sessionID : ''),
      cookieName: secure ? '__Host-csrf' : 'csrf',
      cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: tokenFromRequest,
      // Signing out someone who is not signed in changes nothing, so it needs no token; this spares a person
      // whose session has just expired a "form expired" page when they press "Sign out".
      skipCsrfProtection: (req) => req.path === '/logout' && !req.user,
      errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
    }),
  );
  const pick = (req: Request) => variants[req.secure ? 0 : 1]!;
  return {
    protect: (req, res, next) => {
      // A form from a session that has just ended cannot carry a valid token; say why instead of "expired form".
      if (req.sessionEnded && req.method === 'POST' && !pick(req).validateRequest(req)) {
        res.redirect(303, '/login?notice=sessionEnded');
        return;
      }
      pick(req).doubleCsrfProtection(req, res, next);
    },
    exposeToken: (req, res, next) => {
      // Lazy: the cookie is set only when a page actually renders a form.
      let token: string | undefined;
      Object.defineProperty(res.locals, 'csrfToken', {
        enumerable: true,
        configurable: true,
        get: () => (token ??= pick(req).generateCsrfToken(req, res)),
      });
      next();
    },
  };
}

/**
 * cookie-parser turns a cookie written as `j:{...}` into an object. Nothing here sends such cookies, and
 * code reading a cookie expects a string (csrf-csrf would throw on every page): keep only plain strings, so
 * a cookie planted by a sibling subdomain cannot break pages.
 */
export const plainCookies: RequestHandler = (req, _res, next) => {
  const cookies = req.cookies as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(cookies ?? {}))
    if (typeof value !== 'string') delete cookies![name];
  next();
};

/** A key for one purpose, derived from the session secret, so no two mechanisms sign with the same key. */
export function derivedSecret(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`sabaq:${purpose}`).digest('base64url');
}
