import { z } from 'zod';
import { AppError } from '../core/app-error.js';

/**
 * The date range of a report: `from` and `to`, days written YYYY-MM-DD, both optional, both included,
 * read as days in the organisation's time zone. A report's range selects a cohort: the enrolments made
 * in it; what those members did counts up to the end of `to`.
 */
export interface ReportRange {
  /** The days as given, for links and the form. */
  fromDay?: string;
  toDay?: string;
  /** The first instant of `from`, and the first instant after `to`. */
  from?: Date;
  to?: Date;
}

const day = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((v) => {
        // A real calendar day: 2026-02-30 is not one.
        const t = Date.parse(`${v}T00:00:00Z`);
        return !Number.isNaN(t) && new Date(t).toISOString().startsWith(v);
      })
      .optional(),
  );

const rangeSchema = z.object({ from: day.optional(), to: day.optional() });

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

/** The first instant of a calendar day in a time zone. */
export function startOfDay(dayText: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${dayText}T00:00:00Z`);
  let guess = midnightUtc - offsetAt(midnightUtc, timeZone);
  // Once more, for a zone whose offset changes between UTC midnight and local midnight.
  guess = midnightUtc - offsetAt(guess, timeZone);
  return new Date(guess);
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Reads `from`/`to` from a query; a malformed day, or `from` after `to`, is a 400 that says so. */
export function parseRange(query: unknown, timeZone: string): ReportRange {
  const q = (query ?? {}) as Record<string, unknown>;
  const picked = { from: q.from, to: q.to };
  const parsed = rangeSchema.safeParse(picked);
  if (!parsed.success) throw new AppError(400, 'reports.errors.badDate');
  const { from, to } = parsed.data;
  if (from && to && from > to) throw new AppError(400, 'reports.errors.dateOrder');
  return {
    fromDay: from,
    toDay: to,
    from: from ? startOfDay(from, timeZone) : undefined,
    to: to ? startOfDay(nextDay(to), timeZone) : undefined,
  };
}

/** The range as a query string ("?from=…&to=…", or ''), for links that keep it. */
export function rangeQuery(range: ReportRange, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (range.fromDay) params.set('from', range.fromDay);
  if (range.toDay) params.set('to', range.toDay);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}
