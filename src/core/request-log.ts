import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { redactUrl, type Logger } from './logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** A logger whose lines carry this request's id. */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * One line per finished request (info for 2xx/3xx, warn for 4xx, error for 5xx), with its id, method,
 * address (tokens redacted), status and time. Headers stay out of the logs: they carry cookies and tokens.
 * Nothing is built for a line the log level drops, and the per-request child logger is made only when a
 * handler logs something: a page that logs nothing costs a header and a listener.
 */
export function requestLog(logger: Logger, ignore: (path: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => (child ??= logger.child({ reqId: id })),
    });
    if (ignore(req.path)) return next();
    const started = performance.now();
    res.once('close', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          reqId: id,
          req: { method: req.method, url: redactUrl(req.originalUrl) },
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - started),
        },
        res.writableFinished ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
