import type { AnyObject, Options } from 'mingo/types';
import { compareValues, valuesEqual } from '../bson/compare-values.js';
import { bsonTypeOf, typeRank, TypeRank } from '../bson/type-order.js';
import { compiledRegexOf, isRegex } from './regex-engine.js';
import { pathTest, type ElementTest } from './query-paths.js';

/**
 * MongoDB's query predicates for bson values, where mingo's differ: cross-type numeric equality,
 * Long/Decimal128 ranges with type bracketing, null matching missing fields. Each is a test of one
 * value, run on every value the condition's path yields (query-paths.ts), which is where arrays and
 * missing fields are dealt with. Both ways of evaluating a filter use them: the compiled fast path
 * (compile-filter.ts) and mingo's query operators, which query-operators.ts replaces with these.
 */

export type QueryOp = (selector: string, value: unknown, options: Options) => (obj: AnyObject) => boolean;

/** Equality with `rhs`; null (and undefined) also matches a missing value. */
export function equalsTest(rhs: unknown): ElementTest {
  if (rhs === null || rhs === undefined) return (v) => v === null || v === undefined;
  return (v) => v !== undefined && valuesEqual(v, rhs);
}

/** Range comparisons use type bracketing: only values of the same canonical type compare. */
function rangeTest(test: (c: number) => boolean): (rhs: unknown) => ElementTest {
  return (rhs) => {
    const rank = typeRank(rhs);
    const missing = rank === TypeRank.Null && test(0);
    return (v) => (v === undefined ? missing : typeRank(v) === rank && test(compareValues(v, rhs)));
  };
}

/** A regex operand as a test of one value: strings it matches. */
export function regexTest(re: unknown): ElementTest {
  const compiled = compiledRegexOf(re);
  return (v) => typeof v === 'string' && compiled.test(v);
}

function inTest(rhs: unknown): ElementTest {
  if (!Array.isArray(rhs)) throw new Error('$in needs an array');
  const tests = rhs.map((v: unknown) => (isRegex(v) ? regexTest(v) : equalsTest(v)));
  return (v) => {
    for (const test of tests) if (test(v)) return true;
    return false;
  };
}

export type SimpleOp = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte' | '$in' | '$nin';

/** Each operator's test of one value; $ne and $nin are the negations of $eq and $in over the path. */
export const SIMPLE_OPS: Record<SimpleOp, (rhs: unknown) => ElementTest> = {
  $eq: equalsTest,
  $ne: equalsTest,
  $gt: rangeTest((c) => c > 0),
  $gte: rangeTest((c) => c >= 0),
  $lt: rangeTest((c) => c < 0),
  $lte: rangeTest((c) => c <= 0),
  $in: inTest,
  $nin: inTest,
};

/** A scalar operand: not a document, array or regex, whose matching rules are more involved. */
export function scalarOperand(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && v !== undefined;
  if (Array.isArray(v) || isRegex(v)) return false;
  return v instanceof Date || bsonTypeOf(v) !== undefined;
}

/** A comparison on a dotted path: true when one of its values passes ($ne, $nin: when none does). */
export function comparisonTest(selector: string, op: SimpleOp, rhs: unknown): (obj: AnyObject) => boolean {
  const test = pathTest(selector, true, SIMPLE_OPS[op](rhs));
  return op === '$ne' || op === '$nin' ? (obj) => !test(obj) : test;
}
