import type { Long } from 'bson';
import type { AnyObject, Options } from 'mingo/types';
import { bytesOf } from '../bson/compare-values.js';
import { toDouble } from '../bson/number-order.js';
import { bsonTypeOf, isNumeric, TypeRank, typeRank } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { pathTest } from './query-paths.js';

/**
 * $bitsAllSet, $bitsAnySet, $bitsAllClear and $bitsAnyClear, as MongoDB tests them: on integral
 * numbers (two's complement, so a negative number has every bit above its own set) and on binary data
 * (bit 0 is the lowest bit of the first byte; bits past the end are clear), with a mask given as a
 * number, a list of bit positions or binary data. Any other value does not match.
 */

type QueryOp = (selector: string, value: unknown, options: Options) => (obj: AnyObject) => boolean;

function badMask(op: string, value: unknown): MongoCommandError {
  if (!isNumeric(value)) {
    const message = `${op} takes an Array, a number, or a BinData but received: ${String(value)}`;
    return new MongoCommandError(ErrorCodes.BadValue, message);
  }
  const problem = Number.isInteger(toDouble(value)) ? 'Expected a positive number' : 'Expected an integer';
  return new MongoCommandError(ErrorCodes.FailedToParse, `${problem} in: ${op}: ${String(value)}`);
}

function setBits(bytes: Uint8Array): number[] {
  const positions: number[] = [];
  bytes.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) positions.push(i * 8 + bit);
  });
  return positions;
}

function integral(v: unknown): bigint | undefined {
  if (bsonTypeOf(v) === 'Long') return (v as Long).toBigInt();
  if (!isNumeric(v) || bsonTypeOf(v) === 'Decimal128') return undefined;
  const n = toDouble(v);
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n) : undefined;
}

/** The bit positions a mask names. */
function positionsOf(op: string, mask: unknown): number[] {
  if (typeRank(mask) === TypeRank.BinData) return setBits(bytesOf(mask));
  if (Array.isArray(mask)) {
    return mask.map((p: unknown) => {
      const n = isNumeric(p) ? toDouble(p) : NaN;
      if (!Number.isInteger(n) || n < 0)
        throw new MongoCommandError(
          ErrorCodes.BadValue,
          `bit positions must be non-negative integers: ${op}`,
        );
      return n;
    });
  }
  const bits = integral(mask);
  if (bits === undefined || bits < 0n) throw badMask(op, mask);
  const positions: number[] = [];
  for (let i = 0; i < 64; i++) if ((bits >> BigInt(i)) & 1n) positions.push(i);
  return positions;
}

/** Whether each position is set in the value, or undefined for a value bit tests do not apply to. */
function bitReader(v: unknown): ((position: number) => boolean) | undefined {
  if (typeRank(v) === TypeRank.BinData) {
    const bytes = bytesOf(v);
    return (p) => p >> 3 < bytes.length && ((bytes[p >> 3]! >> (p & 7)) & 1) === 1;
  }
  const n = integral(v);
  if (n === undefined) return undefined;
  const bits = BigInt.asUintN(64, n);
  return (p) => ((bits >> BigInt(Math.min(p, 63))) & 1n) === 1n;
}

function bitTest(op: string, wantSet: boolean, all: boolean): QueryOp {
  return (selector, mask) => {
    const positions = positionsOf(op, mask);
    const one = (v: unknown): boolean => {
      const read = bitReader(v);
      if (!read) return false;
      const hit = (p: number): boolean => read(p) === wantSet;
      return all ? positions.every(hit) : positions.some(hit);
    };
    return pathTest(selector, true, one);
  };
}

export const bitOperators: Record<string, QueryOp> = {
  $bitsAllSet: bitTest('$bitsAllSet', true, true),
  $bitsAnySet: bitTest('$bitsAnySet', true, false),
  $bitsAllClear: bitTest('$bitsAllClear', false, true),
  $bitsAnyClear: bitTest('$bitsAnyClear', false, false),
};
