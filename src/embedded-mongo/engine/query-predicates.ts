import type { AnyObject, Options } from 'mingo/types';
import { resolve } from 'mingo/util';
import { compareValues, valuesEqual } from '../bson/compare-values.js';
import { bsonTypeOf, typeRank, TypeRank } from '../bson/type-order.js';
import { isRegex, regexMatch } from './regex-engine.js';
import { missingUnderArray } from './document-paths.js';

/**
 * MongoDB's query predicates for bson values, where mingo's differ: cross-type numeric equality,
 * Long/Decimal128 ranges with type bracketing, null matching missing fields (also under arrays).
 * Both ways of evaluating a filter use them: the compiled fast path (compile-filter.ts) and mingo's
 * query operators, which query-operators.ts replaces with these.
 */

type Predicate = (lhs: unknown, rhs: unknown) => boolean;
export type QueryOp = (selector: string, value: unknown, options: Options) => (obj: AnyObject) => boolean;

export const RESOLVE_OPTS = { unwrapArray: true };

export function eqPred(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined) return rhs === null || rhs === undefined;
  if (valuesEqual(lhs, rhs)) return true;
  if (Array.isArray(lhs)) {
    for (const e of lhs) {
      if (valuesEqual(e, rhs)) return true;
      if (Array.isArray(e) && e.some((x) => valuesEqual(x, rhs))) return true;
    }
    if (rhs === null && lhs.length === 0) return false;
  }
  return false;
}

/** Range comparisons use type bracketing: only values of the same canonical type compare. */
function rangePred(test: (c: number) => boolean): Predicate {
  const one = (v: unknown, rhs: unknown): boolean => {
    if (typeRank(v) !== typeRank(rhs)) return false;
    return test(compareValues(v, rhs));
  };
  return (lhs, rhs) => {
    if (lhs === undefined) return typeRank(rhs) === TypeRank.Null && test(0);
    if (Array.isArray(lhs)) {
      if (Array.isArray(rhs) && one(lhs, rhs)) return true;
      for (const e of lhs) {
        if (one(e, rhs)) return true;
        if (Array.isArray(e) && e.some((x) => one(x, rhs))) return true;
      }
      return false;
    }
    return one(lhs, rhs);
  };
}

function inPred(lhs: unknown, rhs: unknown): boolean {
  if (!Array.isArray(rhs)) throw new Error('$in needs an array');
  for (const v of rhs) {
    if (isRegex(v)) {
      if (regexMatch(v, lhs) || (Array.isArray(lhs) && lhs.some((e) => regexMatch(v, e)))) return true;
    } else if (eqPred(lhs, v)) return true;
  }
  return false;
}

export type SimpleOp = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte' | '$in' | '$nin';

export const SIMPLE_OPS: Record<SimpleOp, Predicate> = {
  $eq: eqPred,
  $ne: (l, r) => !eqPred(l, r),
  $gt: rangePred((c) => c > 0),
  $gte: rangePred((c) => c >= 0),
  $lt: rangePred((c) => c < 0),
  $lte: rangePred((c) => c <= 0),
  $in: inPred,
  $nin: (l, r) => !inPred(l, r),
};

/** A scalar operand: not a document, array or regex, whose matching rules are more involved. */
export function scalarOperand(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && v !== undefined;
  if (Array.isArray(v) || isRegex(v)) return false;
  return v instanceof Date || bsonTypeOf(v) !== undefined;
}

/**
 * Equality with null also holds where a dotted path crosses an array element lacking the rest of
 * the path; mingo's resolve drops such elements, so they are looked for separately.
 */
export function nullAwareTest(selector: string, op: SimpleOp, rhs: unknown): (obj: AnyObject) => boolean {
  const pred = SIMPLE_OPS[op];
  const positive = op === '$eq' || op === '$in';
  const list = op === '$in' || op === '$nin';
  const nullInOperand = list ? Array.isArray(rhs) && rhs.includes(null) : rhs === null;
  if (!(positive || op === '$ne' || op === '$nin') || !nullInOperand || !selector.includes('.')) {
    return (obj) => pred(resolve(obj, selector, RESOLVE_OPTS), rhs);
  }
  const base = list ? inPred : eqPred;
  return (obj) => {
    const hit = base(resolve(obj, selector, RESOLVE_OPTS), rhs) || missingUnderArray(obj, selector);
    return positive ? hit : !hit;
  };
}
