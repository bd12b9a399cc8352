import type { Decimal128, Long } from 'bson';
import { canonicalExact, compareExact, exactOfDecimal, exactOfDouble, type Exact } from './exact-decimal.js';
import { bsonTypeOf } from './type-order.js';

/**
 * Numbers of every BSON type compared as MongoDB compares them: exactly, Long beyond 2^53 and
 * Decimal128 never squeezed through a double, and equal across types (1, 1.0, Long(1)).
 */

/**
 * A numeric value as an exact integer when possible (bigint), an exact decimal fraction for a
 * Decimal128 that is not an integer, otherwise a double.
 */
export type Num = { int: bigint } | { dbl: number } | { dec: Exact; approx: number };

export function toNum(v: unknown): Num {
  if (typeof v === 'number') return { dbl: v };
  if (typeof v === 'bigint') return { int: v };
  const t = bsonTypeOf(v);
  if (t === 'Long') return { int: (v as Long).toBigInt() };
  if (t === 'Int32' || t === 'Double') return { dbl: (v as { value: number }).value };
  if (t !== 'Decimal128') return { dbl: NaN };
  const text = (v as Decimal128).toString();
  const exact = exactOfDecimal(text);
  if (!exact) return { dbl: Number(text) }; // NaN and the infinities
  const unit = 10n ** BigInt(exact.scale);
  if (exact.int % unit === 0n) return { int: exact.int / unit };
  return { dec: exact, approx: Number(text) };
}

/** Numeric value as a JS double (lossy for huge Longs and precise decimals). */
export function toDouble(v: unknown): number {
  const n = toNum(v);
  return 'int' in n ? Number(n.int) : 'dbl' in n ? n.dbl : n.approx;
}

/** A decimal against any number, exactly: 0.1 as a decimal is not the double 0.1, as in MongoDB. */
function cmpDecimal(x: Exact, other: Num): number {
  if ('dec' in other) return compareExact(x, other.dec);
  if ('int' in other) return compareExact(x, { int: other.int, scale: 0 });
  if (Number.isNaN(other.dbl)) return 1;
  if (!Number.isFinite(other.dbl)) return other.dbl > 0 ? -1 : 1;
  return compareExact(x, exactOfDouble(other.dbl));
}

function cmpIntDouble(i: bigint, d: number): number {
  if (Number.isNaN(d)) return 1;
  if (d === Infinity) return -1;
  if (d === -Infinity) return 1;
  const fl = Math.floor(d);
  const bf = BigInt(fl);
  if (i < bf) return -1;
  if (i > bf) return 1;
  return fl === d ? 0 : -1;
}

export function cmpDouble(a: number, b: number): number {
  // MongoDB sorts NaN below every other number and treats NaN as equal to NaN.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return cmpDouble(a, b);
  const x = toNum(a);
  const y = toNum(b);
  if ('dec' in x) return cmpDecimal(x.dec, y);
  if ('dec' in y) return -cmpDecimal(y.dec, x);
  if ('int' in x && 'int' in y) return x.int < y.int ? -1 : x.int > y.int ? 1 : 0;
  if ('dbl' in x && 'dbl' in y) return cmpDouble(x.dbl, y.dbl);
  if ('int' in x) return cmpIntDouble(x.int, (y as { dbl: number }).dbl);
  return -cmpIntDouble((y as { int: bigint }).int, x.dbl);
}

/** The canonical text of a number, equal for numerically equal values of any type. */
export function canonicalNumber(v: unknown): string {
  const n = toNum(v);
  if ('int' in n) {
    const d = Number(n.int);
    return Number.isSafeInteger(d) ? String(d) : n.int.toString();
  }
  if ('dec' in n) {
    // Equal to a double only when that double's binary value is exactly this decimal (0.5, not 0.1).
    const exact = Number.isFinite(n.approx) && compareExact(exactOfDouble(n.approx), n.dec) === 0;
    return exact ? String(n.approx) : `d${canonicalExact(n.dec)}`;
  }
  if (Number.isNaN(n.dbl)) return 'NaN';
  if (Number.isInteger(n.dbl) && !Number.isSafeInteger(n.dbl)) return BigInt(n.dbl).toString();
  return Object.is(n.dbl, -0) ? '0' : String(n.dbl);
}
