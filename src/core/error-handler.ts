import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { i18n } from 'i18next';
import { AppError } from './app-error.js';
import { localeMiddleware } from './i18n.js';

export const notFoundHandler: RequestHandler = () => {
  throw AppError.notFound();
};

/**
 * The database cannot be reached (server selection timed out, connection refused or closed, mongoose gave up
 * buffering): the request itself was fine, so this is a 503 "try again", not a 500 bug.
 */
function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  if (!e || typeof e.name !== 'string') return false;
  if (
    /^Mongo(?:ose)?(?:ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)Error$/.test(e.name)
  )
    return true;
  return e.name === 'MongooseError' && typeof e.message === 'string' && /buffering timed out/.test(e.message);
}

function statusOf(err: unknown): number {
  if (err instanceof AppError) return err.status;
  if (isDatabaseUnavailable(err)) return 503;
  const candidate = (err as { status?: unknown; statusCode?: unknown } | null) ?? {};
  const status = Number(candidate.status ?? candidate.statusCode);
  return Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
}

/** Maps library errors to our message keys so users read something in their language. */
function messageKeyOf(err: unknown, status: number): string {
  if (err instanceof AppError && err.message.includes('.')) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  const type = (err as { type?: unknown } | null)?.type;
  if (code === 'EBADCSRFTOKEN' || (status === 403 && /csrf/i.test(String((err as Error).message))))
    return 'errors.csrf';
  if (type === 'entity.too.large') return 'errors.tooLarge';
  if (status === 404) return 'errors.notFound';
  if (status === 403) return 'errors.forbidden';
  if (status === 429) return 'errors.tooMany';
  if (status === 503) return 'errors.unavailable';
  if (status < 500) return 'errors.badRequest';
  return 'errors.server';
}

/** The one error handler: a page or JSON with the status, never a stack trace outside development. */
export function errorHandler(options: {
  showStack: boolean;
  i18n?: i18n;
  /** What every page gets (renderer, locals), for errors raised before it was set on the response. */
  page?: RequestHandler;
}): ErrorRequestHandler {
  const localize = options.i18n ? localeMiddleware(options.i18n) : undefined;
  return async (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = statusOf(err);
    const messageKey = messageKeyOf(err, status);
    if (status >= 500) req.log?.error({ err }, 'request failed');
    // An error raised before the locale middleware ran (e.g. the session store is unreachable) must still
    // be told in the reader's language, not as a raw message key.
    if (!req.t && localize) await new Promise<void>((resolve) => void localize(req, res, () => resolve()));
    if (!res.locals.pageReady && options.page) options.page(req, res, () => undefined);
    const t = req.t ?? ((key: string) => key);
    const message = t(messageKey);
    const stack = options.showStack && err instanceof Error ? err.stack : undefined;
    res.status(status);
    if (status === 503) res.setHeader('Retry-After', '30');
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: { status, message, ...(stack ? { stack } : {}) } });
      return;
    }
    const view = status === 404 ? 'errors/not-found' : status === 403 ? 'errors/forbidden' : 'errors/error';
    const title = t(`errors.title${[403, 404, 503].includes(status) ? status : ''}`);
    res.render(view, { title, status, message, stack }, (renderErr: Error | null, html?: string) => {
      // If even the error page cannot render, say it plainly rather than fall into Express's default page.
      if (renderErr) {
        req.log?.error({ err: renderErr }, 'error page failed to render');
        res.type('text/plain').send(message);
        return;
      }
      res.send(html);
    });
  };
}
