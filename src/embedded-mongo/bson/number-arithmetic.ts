import { Decimal128, Double, Long } from 'bson';
import { addDecimalStrings, canonicalExact, multiplyDecimalStrings } from './exact-decimal.js';
import { toDouble, toNum } from './number-order.js';
import { bsonTypeOf, isInt32 } from './type-order.js';

/**
 * Arithmetic on numbers of every BSON type with MongoDB's widening of the result's type: int, then
 * long (an int that overflows), then double, then decimal; exact for Long and Decimal128.
 */

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
