import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import type { RequestHandler } from 'express';
import { localesDir } from './paths.js';
import { formatDate, formatDateTime } from './dates.js';

export const SUPPORTED_LOCALES = ['en', 'fa-AF', 'ps-AF'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const RTL_LOCALES: ReadonlySet<string> = new Set(['fa-AF', 'ps-AF']);
export const LANG_COOKIE = 'lang';
/** Each language named in itself, so readers find theirs whatever language the page is in. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  'fa-AF': 'دری',
  'ps-AF': 'پښتو',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** Every language's texts, as read from locales/. */
export type LocaleResources = Record<Locale, { translation: Record<string, unknown> }>;

/** Reads the locale files: done once at start, by whoever builds the app, so createApp does no I/O. */
export function loadLocaleResources(): LocaleResources {
  const read = (locale: Locale) => ({
    translation: JSON.parse(readFileSync(path.join(localesDir, `${locale}.json`), 'utf8')) as Record<
      string,
      unknown
    >,
  });
  return { en: read('en'), 'fa-AF': read('fa-AF'), 'ps-AF': read('ps-AF') };
}

/** i18next over resources already in memory, initialised synchronously. */
export function createI18n(resources: LocaleResources = loadLocaleResources()): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...SUPPORTED_LOCALES],
    initAsync: false,
    returnNull: false,
    // EJS escapes on output (<%= %>); escaping here too would double-escape.
    interpolation: { escapeValue: false },
  });
  return instance;
}

/** Maps an Accept-Language header to a supported locale; Dari is "fa"/"prs", Pashto "ps". */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0];
    if (primary === 'fa' || primary === 'prs') return 'fa-AF';
    if (primary === 'ps' || primary === 'pbt' || primary === 'pbu') return 'ps-AF';
    if (primary === 'en') return 'en';
  }
  return undefined;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A whole number in the reader's digits (Persian digits in Dari and Pashto); the formatter is built once. */
export function formatNumber(n: number, locale: Locale): string {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(n);
}

declare module 'express-serve-static-core' {
  interface Request {
    locale: Locale;
    t: TFunction;
  }
}

interface LocaleContext {
  locale: Locale;
  t: TFunction;
  /** What every view gets for this locale. */
  locals: Record<string, unknown>;
}

/**
 * A translation function that remembers the texts it looked up without options (most of a page's
 * strings): the texts never change while the app runs, and i18next's lookup is not free.
 */
function rememberingT(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  return ((key: unknown, options?: unknown) => {
    if (options !== undefined || typeof key !== 'string')
      return (t as (k: unknown, o?: unknown) => string)(key, options);
    let text = texts.get(key);
    if (text === undefined) texts.set(key, (text = t(key)));
    return text;
  }) as TFunction;
}

/** Built once per locale, not per request. */
function localeContexts(i18n: i18n): Map<Locale, LocaleContext> {
  return new Map(
    SUPPORTED_LOCALES.map((locale) => {
      const t = rememberingT(i18n.getFixedT(locale));
      const locals = {
        t,
        locale,
        dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr',
        locales: SUPPORTED_LOCALES,
        localeNames: LOCALE_NAMES,
        formatDate: (d: Date | string | number) => formatDate(d, locale),
        formatDateTime: (d: Date | string | number) => formatDateTime(d, locale),
        formatNumber: (n: number) => formatNumber(n, locale),
      };
      return [locale, { locale, t, locals }];
    }),
  );
}

/** Picks the reader's locale: the signed-in user's choice, then the cookie, then the browser's languages. */
export function localeMiddleware(i18n: i18n): RequestHandler {
  const contexts = localeContexts(i18n);
  return (req, res, next) => {
    const userLocale = (req.user as { locale?: unknown } | undefined)?.locale;
    const cookieLocale = readCookie(req.headers.cookie, LANG_COOKIE);
    const locale: Locale = isLocale(userLocale)
      ? userLocale
      : isLocale(cookieLocale)
        ? cookieLocale
        : (localeFromAcceptLanguage(req.headers['accept-language']) ?? 'en');
    const context = contexts.get(locale)!;
    req.locale = locale;
    req.t = context.t;
    res.setHeader('Content-Language', locale);
    Object.assign(res.locals, context.locals);
    next();
  };
}
