/**
 * Dates as people in Afghanistan read them. Dari and Pashto use the Solar Hijri calendar, which Intl
 * provides ("persian"), written day, month, year in Persian digits: «۱۱ قوس ۱۴۰۵». Node's Pashto pattern
 * puts the year first with a Latin era («AP ۱۴۰۵ لیندۍ ۱۱»), so the Arabic-script dates are assembled from
 * Intl's parts rather than taken whole. Every date and time is shown in the organisation's time zone.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Kabul';

const ARABIC_SCRIPT = new Set(['fa-AF', 'ps-AF']);

export function intlLocaleFor(locale: string): string {
  return ARABIC_SCRIPT.has(locale) ? `${locale}-u-ca-persian` : locale;
}

/** Zones found valid: the check builds an Intl.DateTimeFormat, and every page asks it of the same zone. */
const validZones = new Set<string>();

export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  if (validZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    return false;
  }
  // There are a few hundred zone names: the set cannot grow beyond them.
  validZones.add(value);
  return true;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs far more than using one: each is built once and kept. */
function formatter(
  locale: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format)
    formats.set(key, (format = new Intl.DateTimeFormat(intlLocaleFor(locale), { ...options, timeZone })));
  return format;
}

function toDate(date: Date | string | number): Date | undefined {
  const d = date instanceof Date ? date : new Date(date);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function arabicScriptDate(d: Date, locale: string, timeZone: string): string {
  const parts = formatter(locale, timeZone, { day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(
    d,
  );
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}`;
}

function time(d: Date, locale: string, timeZone: string): string {
  // A 24-hour clock, as Afghan readers expect in Dari and Pashto; English keeps its own.
  const options: Intl.DateTimeFormatOptions = ARABIC_SCRIPT.has(locale)
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { timeStyle: 'short' };
  return formatter(locale, timeZone, options).format(d);
}

/** A day, e.g. "December 2, 2026" or «۱۱ قوس ۱۴۰۵» / «۱۱ لیندۍ ۱۴۰۵». */
export function formatDate(
  date: Date | string | number,
  locale: string,
  timeZone = DEFAULT_TIME_ZONE,
): string {
  const d = toDate(date);
  if (!d) return '';
  if (ARABIC_SCRIPT.has(locale)) return arabicScriptDate(d, locale, timeZone);
  return formatter(locale, timeZone, { dateStyle: 'long' }).format(d);
}

/** A moment: the day, a separator, then the time, e.g. «۱۱ قوس ۱۴۰۵، ۱۸:۴۶». */
export function formatDateTime(
  date: Date | string | number,
  locale: string,
  timeZone = DEFAULT_TIME_ZONE,
): string {
  const d = toDate(date);
  if (!d) return '';
  if (ARABIC_SCRIPT.has(locale))
    return `${arabicScriptDate(d, locale, timeZone)}، ${time(d, locale, timeZone)}`;
  return formatter(locale, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The calendar day (YYYY-MM-DD) a moment falls on in a time zone: what "today" is for the organisation. */
export function calendarDay(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  // en-CA writes dates as YYYY-MM-DD.
  return formatter('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** A calendar day (YYYY-MM-DD) written for readers; it is a day, not a moment, so no time zone moves it. */
export function formatDay(day: string, locale: string): string {
  return formatDate(`${day}T00:00:00Z`, locale, 'UTC');
}

/** A real calendar day written YYYY-MM-DD, in 2000–2099 (2026-02-30 is not one; year 0 is a typo). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^20\d{2}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(value);
}

/** The zone's offset from UTC at an instant, in milliseconds (Kabul: +4:30). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The first instant of a calendar day (YYYY-MM-DD) in a time zone. */
export function startOfDay(dayText: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${dayText}T00:00:00Z`);
  let guess = midnightUtc - offsetAt(midnightUtc, timeZone);
  // Once more, for a zone whose offset changes between UTC midnight and local midnight.
  guess = midnightUtc - offsetAt(guess, timeZone);
  return new Date(guess);
}

/**
 * When the current month began in a time zone, by the reader's calendar: the Solar Hijri month for Dari
 * and Pashto readers (قوس, not December), the Gregorian one otherwise.
 */
export function startOfMonth(now: Date, timeZone: string, locale: string): Date {
  const calendar = ARABIC_SCRIPT.has(locale) ? 'persian' : 'gregory';
  const dayOfMonth = Number(
    new Intl.DateTimeFormat(`en-u-ca-${calendar}-nu-latn`, { timeZone, day: 'numeric' }).format(now),
  );
  const today = Date.parse(`${calendarDay(now, timeZone)}T00:00:00Z`);
  const first = new Date(today - (dayOfMonth - 1) * 86_400_000).toISOString().slice(0, 10);
  return startOfDay(first, timeZone);
}
