import type { RequestHandler } from 'express';

type RenderCallback = (err: Error | null, html?: string) => void;
type PlainRender = (view: string, options: object, cb?: RenderCallback) => void;

/**
 * Wraps every page in views/layout.ejs so feature views hold only their own content. A view can opt out
 * with `layout: false` (e.g. a fragment or a printable page with its own shell).
 */
export function layoutMiddleware(layout = 'layout'): RequestHandler {
  return (_req, res, next) => {
    const plainRender = res.render.bind(res) as PlainRender;
    const render = (view: string, options?: unknown, callback?: unknown): void => {
      const opts = (typeof options === 'function' || !options ? {} : options) as Record<string, unknown>;
      const cb = (typeof options === 'function' ? options : callback) as RenderCallback | undefined;
      if (opts.layout === false) return plainRender(view, opts, cb);
      plainRender(view, opts, (err, body) => {
        if (err) {
          if (cb) cb(err);
          else next(err);
          return;
        }
        plainRender(layout, { ...opts, body }, cb);
      });
    };
    res.render = render;
    next();
  };
}
