import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs, { type TemplateFunction } from 'ejs';
import type { RequestHandler } from 'express';

type RenderCallback = (err: Error | null, html?: string) => void;

type Template = (
  name: string,
  options?: Pick<ejs.Options, 'strict' | 'destructuredLocals'>,
  key?: string,
) => TemplateFunction;

/**
 * Compiles views/<name>.ejs (with `options`, cached under `key`): once when `cache` is on (production), on
 * every use otherwise (edits show at once in development). Includes are written from the views folder
 * ('/partials/field'), so EJS finds them without asking the file system on every render.
 */
function templates(viewsDir: string, cache: boolean): Template {
  const compiled = new Map<string, TemplateFunction>();
  return (name, options = {}, key = name) => {
    let fn = cache ? compiled.get(key) : undefined;
    if (!fn) {
      const filename = path.join(viewsDir, `${name}.ejs`);
      fn = ejs.compile(readFileSync(filename, 'utf8'), { filename, root: viewsDir, cache, ...options });
      if (cache) compiled.set(key, fn);
    }
    return fn;
  };
}

/**
 * A partial rendered many times on one page (the answer inputs of each question): compiled in strict
 * mode with the names it is given as plain variables, and called with only those, where EJS's include
 * would copy every value of the page into each call and look each name up through `with`.
 */
function partials(template: Template): (name: string, data: Record<string, unknown>) => string {
  return (name, data) => {
    const names = Object.keys(data);
    const options = { strict: true, destructuredLocals: names };
    return template(`partials/${name}`, options, `partials/${name}(${names.join(',')})`)(data);
  };
}

/**
 * res.render for this app: the view, then views/layout.ejs around it, so feature views hold only their own
 * content. A view can opt out with `layout: false` (a fragment, or a printable page with its own shell).
 * It renders straight from compiled templates with the page's locals, without Express's per-render view
 * lookup and option merging: every page goes through here.
 */
export function layoutMiddleware(options: {
  viewsDir: string;
  cache: boolean;
  layout?: string;
}): RequestHandler {
  const template = templates(options.viewsDir, options.cache);
  const partial = partials(template);
  const layout = options.layout ?? 'layout';
  return (_req, res, next) => {
    res.locals.partial = partial;
    const render = (view: string, opts?: object | RenderCallback, callback?: RenderCallback): void => {
      const cb: RenderCallback | undefined = typeof opts === 'function' ? (opts as RenderCallback) : callback;
      const data: Record<string, unknown> = { ...res.locals, ...(typeof opts === 'object' ? opts : {}) };
      let html: string;
      try {
        html = template(view)(data);
        if (data.layout !== false) {
          data.body = html;
          html = template(layout)(data);
        }
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        if (cb) cb(error);
        else next(error);
        return;
      }
      if (cb) cb(null, html);
      else res.send(html);
    };
    res.render = render as typeof res.render;
    res.locals.pageReady = true;
    next();
  };
}
