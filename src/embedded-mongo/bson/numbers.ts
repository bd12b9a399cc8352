import { Decimal128, Double, Long } from 'bson';
import {
  addDecimalStrings,
  canonicalExact,
  compareExact,
  exactOfDecimal,
  exactOfDouble,
  multiplyDecimalStrings,
  type Exact,
} from './exact-decimal.js';
import { bsonTypeOf, isInt32 } from './type-order.js';

/**
 * Numbers of every BSON type compared and combined as MongoDB does: exactly (Long beyond 2^53 and
 * Decimal128 are never squeezed through a double), with MongoDB's widening of the result's type
 * (int, then long, then double, then decimal).
 */

/**
 * A numeric value as an exact integer when possible (bigint), an exact decimal fraction for a
 * Decimal128 that is not an integer, otherwise a double.
 */
type Num = { int: bigint } | { dbl: number } | { dec: Exact; approx: number };

function toNum(v: unknown): Num {
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

/** A double result in memory: a `Double` where a plain number would be taken for an int32. */
export function asDouble(value: number): number | Double {
  return isInt32(value) ? new Double(value) : value;
}

function isDouble(v: unknown): boolean {
  return (typeof v === 'number' && !isInt32(v)) || bsonTypeOf(v) === 'Double';
}

function isLong(v: unknown): boolean {
  return typeof v === 'bigint' || bsonTypeOf(v) === 'Long';
}

/** An int or long as an exact integer. */
function integerOf(v: unknown): bigint {
  const n = toNum(v);
  return 'int' in n ? n.int : BigInt('dbl' in n ? n.dbl : 0);
}

function decimalString(v: unknown): string {
  if (bsonTypeOf(v) === 'Decimal128') return (v as Decimal128).toString();
  const n = toNum(v);
  return 'int' in n ? n.int.toString() : 'dbl' in n ? String(n.dbl) : canonicalExact(n.dec);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Op = 'add' | 'multiply';

/**
 * `a + b` or `a * b` with MongoDB's result type: decimal if either is, else double if either is, else
 * long if either is (or an int result overflows int32), else int. A long result that overflows 64 bits
 * becomes a double, as MongoDB's $inc and $mul do.
 */
export function combineNumbers(a: unknown, b: unknown, op: Op): unknown {
  if (bsonTypeOf(a) === 'Decimal128' || bsonTypeOf(b) === 'Decimal128') {
    const combine = op === 'add' ? addDecimalStrings : multiplyDecimalStrings;
    return Decimal128.fromString(combine(decimalString(a), decimalString(b)));
  }
  const x = toDouble(a);
  const y = toDouble(b);
  if (isDouble(a) || isDouble(b)) return asDouble(op === 'add' ? x + y : x * y);
  const ia = integerOf(a);
  const ib = integerOf(b);
  const exact = op === 'add' ? ia + ib : ia * ib;
  if (!isLong(a) && !isLong(b) && isInt32(Number(exact))) return Number(exact);
  if (exact < INT64_MIN || exact > INT64_MAX) return Number(exact);
  return Long.fromBigInt(exact);
}

export function addNumbers(a: unknown, b: unknown): unknown {
  return combineNumbers(a, b, 'add');
}

/** Zero of the same numeric type as `v`: what $mul leaves in a missing field. */
export function zeroLike(v: unknown): unknown {
  const t = bsonTypeOf(v);
  if (t === 'Decimal128') return Decimal128.fromString('0');
  if (isLong(v)) return Long.ZERO;
  return isDouble(v) ? new Double(0) : 0;
}
