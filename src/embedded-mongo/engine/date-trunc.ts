import { evalExpr } from 'mingo/core';
import type { AnyObject, Options } from 'mingo/types';

/**
 * $dateTrunc computed in the given timezone, as MongoDB does: mingo truncated in UTC, so a day in
 * Asia/Kabul (+04:30) started at the wrong instant and UTC times after 19:30 fell on the previous day.
 * The date is moved to local wall-clock time, truncated there (bins counted from 2000-01-01, MongoDB's
 * reference point, Sunday-started weeks unless startOfWeek says otherwise), and moved back.
 */

const MS: Record<string, number> = { millisecond: 1, second: 1e3, minute: 6e4, hour: 36e5, day: 864e5 };
const MONTHS: Record<string, number> = { month: 1, quarter: 3, year: 12 };
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const REFERENCE = Date.UTC(2000, 0, 1);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms: Olson names through Intl, and ±HH, ±HHMM, ±HH:MM. */
export function timezoneOffsetMs(timezone: string | undefined, at: number): number {
  if (timezone === undefined || timezone === 'UTC' || timezone === 'GMT') return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})?$/.exec(timezone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 36e5 + Number(fixed[3] ?? 0) * 6e4);
  let format = formatters.get(timezone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`unrecognized time zone identifier: "${timezone}"`);
    }
    formatters.set(timezone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(at))) parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

function floorTo(value: number, size: number): number {
  return value - (((value % size) + size) % size);
}

/** Truncates a wall-clock time (expressed as if it were UTC) to its bin. */
function truncateWall(wall: number, unit: string, binSize: number, startOfWeek: string): number {
  if (unit in MS) return REFERENCE + floorTo(wall - REFERENCE, binSize * MS[unit]!);
  if (unit === 'week') {
    const start = WEEKDAYS.indexOf(startOfWeek.slice(0, 3).toLowerCase());
    if (start < 0) throw new Error(`unknown startOfWeek: ${startOfWeek}`);
    // 2000-01-01 was a Saturday (6): the first week start on or after it is the reference.
    const ref = REFERENCE + ((start - 6 + 7) % 7) * MS.day!;
    return ref + floorTo(wall - ref, binSize * 7 * MS.day!);
  }
  const months = MONTHS[unit];
  if (months === undefined) throw new Error(`unknown time unit value: ${unit}`);
  const d = new Date(wall);
  const elapsed = (d.getUTCFullYear() - 2000) * 12 + d.getUTCMonth();
  const bin = floorTo(elapsed, binSize * months);
  return Date.UTC(2000 + Math.floor(bin / 12), ((bin % 12) + 12) % 12, 1);
}

export function dateTruncExpression(obj: AnyObject, expr: unknown, options: Options): Date | null {
  const spec = evalExpr(obj, expr, options) as {
    date?: unknown;
    unit?: string | null;
    binSize?: unknown;
    timezone?: unknown;
    startOfWeek?: string;
  };
  if (spec.date === null || spec.date === undefined || spec.unit === null || spec.unit === undefined)
    return null;
  if (!(spec.date instanceof Date)) throw new Error("$dateTrunc requires 'date' to be a date");
  const binSize = spec.binSize === undefined || spec.binSize === null ? 1 : Number(spec.binSize);
  if (!Number.isInteger(binSize) || binSize < 1)
    throw new Error("$dateTrunc requires 'binSize' to be positive");
  const timezone = typeof spec.timezone === 'string' ? spec.timezone : undefined;
  const at = spec.date.getTime();
  const wall = at + timezoneOffsetMs(timezone, at);
  const truncated = truncateWall(wall, spec.unit, binSize, spec.startOfWeek ?? 'sunday');
  // Back to UTC with the offset in force at the truncated wall time (it differs across a DST change).
  const guess = truncated - timezoneOffsetMs(timezone, truncated);
  return new Date(truncated - timezoneOffsetMs(timezone, guess));
}
