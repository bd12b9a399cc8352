import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';

/** Strict CSP: scripts and styles only from our origin, no inline code, no framing. */
export function securityHeaders(isProduction: boolean): RequestHandler {
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
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
  const header = req.headers['x-csrf-token'];
  // A multipart body is parsed later, by the route's multer, so upload forms carry the token in their action URL
  // (`?_csrf=...`); the logger strips it from logged URLs.
  const fromQuery =
    req.is('multipart/form-data') && typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
  return fromBody ?? (typeof header === 'string' ? header : undefined) ?? fromQuery;
}

/**
 * Synchroniser-token CSRF protection (token kept in the session). Every non-GET request must carry the
 * token, in the form field `_csrf`, the `x-csrf-token` header, or (multipart forms only) `?_csrf=` in the
 * action URL; views get it as `csrfToken`.
 */
export function csrfProtection(): { protect: RequestHandler; exposeToken: RequestHandler } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: tokenFromRequest,
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  });
  return {
    protect: csrfSynchronisedProtection,
    exposeToken: (req, res, next) => {
      // Lazy: a token (and so a stored session) is created only when a page actually renders a form.
      let token: string | undefined;
      Object.defineProperty(res.locals, 'csrfToken', {
        enumerable: true,
        configurable: true,
        get: () => (token ??= generateToken(req)),
      });
      next();
    },
  };
}
