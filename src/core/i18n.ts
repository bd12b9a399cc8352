import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import type { RequestHandler } from 'express';
import { localesDir } from './paths.js';
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatDay } from './dates.js';

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

const byteFormats = new Map<string, Intl.NumberFormat[]>();

/** A download size a reader can weigh against a data bundle: "850 kB", "2.4 MB", in the reader's digits. */
const percentFormats = new Map<Locale, Intl.NumberFormat>();
export function formatPercent(percent: number, locale: Locale): string {
  let f = percentFormats.get(locale);
  if (!f)
    percentFormats.set(
      locale,
      (f = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 })),
    );
  return f.format(percent / 100);
}

export function formatBytes(bytes: number, locale: Locale): string {
  let formats = byteFormats.get(locale);
  if (!formats) {
    formats = (['kilobyte', 'megabyte', 'gigabyte'] as const).map(
      (unit) => new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }),
    );
    byteFormats.set(locale, formats);
  }
  // Binary multiples, as phones and operating systems count them: a 50 MB limit reads "50 MB".
  const [kb, mb, gb] = formats as [Intl.NumberFormat, Intl.NumberFormat, Intl.NumberFormat];
  if (bytes >= 1024 ** 3) return gb.format(bytes / 1024 ** 3);
  if (bytes >= 1024 ** 2) return mb.format(bytes / 1024 ** 2);
  return kb.format(Math.max(1, Math.round(bytes / 1024)));
}

declare module 'express-serve-static-core' {
  interface Request {
    locale: Locale;
    t: TFunction;
    /** Switches this page to `locale` unless the reader chose one (signed in, or with the switch). */
    preferLocale: (locale: unknown) => void;
  }
}

interface LocaleContext {
  locale: Locale;
  t: TFunction;
  /** What every view gets for this locale and time zone. */
  locals: Record<string, unknown>;
}

/** How many texts with values one language remembers; past this it starts again (values can be names). */
const MAX_TEXTS_WITH_VALUES = 5_000;

/** Options made only of strings and numbers ({n: 3}, {name: 'Ahmad'}): the same ones give the same text. */
function plainValues(options: unknown): options is Record<string, string | number> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return false;
  for (const value of Object.values(options))
    if (typeof value !== 'string' && typeof value !== 'number') return false;
  return true;
}

/**
 * A translation function that remembers the texts it has looked up, with or without values ("question
 * {{n}} of {{total}}" is asked for on every question of every attempt page): the texts never change while
 * the app runs, and i18next's lookup is far from free.
 */
function rememberingT(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  const withValues = new Map<string, string>();
  const lookup = t as (k: unknown, o?: unknown) => string;
  return ((key: unknown, options?: unknown) => {
    if (typeof key !== 'string') return lookup(key, options);
    if (options === undefined) {
      let text = texts.get(key);
      if (text === undefined) texts.set(key, (text = t(key)));
      return text;
    }
    if (!plainValues(options)) return lookup(key, options);
    const memo = `${key}\u0000${JSON.stringify(options)}`;
    let text = withValues.get(memo);
    if (text === undefined) {
      if (withValues.size >= MAX_TEXTS_WITH_VALUES) withValues.clear();
      withValues.set(memo, (text = lookup(key, options)));
    }
    return text;
  }) as TFunction;
}

/** Where the time zone of shown dates comes from (the organisation's setting); absent: DEFAULT_TIME_ZONE. */
export type TimeZoneSource = () => Promise<string>;

/** Contexts are built once per locale and time zone, not per request. */
function localeContexts(i18n: i18n): (locale: Locale, timeZone: string) => LocaleContext {
  const translators = new Map(SUPPORTED_LOCALES.map((l) => [l, rememberingT(i18n.getFixedT(l))]));
  const contexts = new Map<string, LocaleContext>();
  return (locale, timeZone) => {
    const key = `${locale}|${timeZone}`;
    let context = contexts.get(key);
    if (!context) {
      const t = translators.get(locale)!;
      context = {
        locale,
        t,
        locals: {
          t,
          locale,
          timeZone,
          dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr',
          /** The direction of a text in another language than the page (a lesson shown in its primary). */
          dirOf: (l: string) => (RTL_LOCALES.has(l) ? 'rtl' : 'ltr'),
          locales: SUPPORTED_LOCALES,
          localeNames: LOCALE_NAMES,
          formatDate: (d: Date | string | number) => formatDate(d, locale, timeZone),
          formatDateTime: (d: Date | string | number) => formatDateTime(d, locale, timeZone),
          /** A calendar day (YYYY-MM-DD), such as a training round's. */
          formatDay: (day: string) => formatDay(day, locale),
          formatNumber: (n: number) => formatNumber(n, locale),
          formatBytes: (n: number) => formatBytes(n, locale),
          /** 75 → «۷۵٪» in Dari and Pashto, "75%" in English. */
          formatPercent: (n: number) => formatPercent(n, locale),
        },
      };
      contexts.set(key, context);
    }
    return context;
  };
}

/**
 * Picks the reader's locale: the signed-in user's choice, then the cookie, then the browser's languages;
 * and the organisation's time zone for every date shown.
 */
export function localeMiddleware(i18n: i18n, timeZoneOf?: TimeZoneSource): RequestHandler {
  const contextFor = localeContexts(i18n);
  return async (req, res, next) => {
    const userLocale = (req.user as { locale?: unknown } | undefined)?.locale;
    const cookieLocale = readCookie(req.headers.cookie, LANG_COOKIE);
    const locale: Locale = isLocale(userLocale)
      ? userLocale
      : isLocale(cookieLocale)
        ? cookieLocale
        : (localeFromAcceptLanguage(req.headers['accept-language']) ?? 'en');
    // A page whose settings cannot be read (the database is down) still needs its dates in a time zone.
    const timeZone = timeZoneOf ? await timeZoneOf().catch(() => DEFAULT_TIME_ZONE) : DEFAULT_TIME_ZONE;
    const apply = (chosen: Locale) => {
      const context = contextFor(chosen, timeZone);
      req.locale = chosen;
      req.t = context.t;
      res.setHeader('Content-Language', chosen);
      Object.assign(res.locals, context.locals);
    };
    apply(locale);
    // A page about someone else's account (a password link) speaks their language, unless this browser
    // has chosen one with the language switch.
    req.preferLocale = (preferred) => {
      if (!isLocale(userLocale) && !isLocale(cookieLocale) && isLocale(preferred)) apply(preferred);
    };
    next();
  };
}
