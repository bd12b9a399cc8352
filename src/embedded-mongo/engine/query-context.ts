import { Context } from 'mingo';
import { evalExpr } from 'mingo/core';
import { Aggregator } from 'mingo/aggregator';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { AnyObject, Options } from 'mingo/types';
import { resolve } from 'mingo/util';
import { ProcessingMode } from 'mingo';
import {
  addNumbers,
  bsonTypeOf,
  compareValues,
  encodeKey,
  isNumeric,
  typeRank,
  TypeRank,
  valuesEqual,
} from './bson-values.js';
import { missingUnderArray, sortByFields } from './sort-order.js';
import { assertSafeRegexes } from './regex-guard.js';

/**
 * mingo evaluates queries, projections, updates and pipelines; here we replace the operators whose
 * semantics differ from MongoDB's for bson values (cross-type numeric equality, Long/Decimal128
 * ranges, $type aliases, cross-type $sort, $sum over Long/Decimal128).
 */

type Predicate = (lhs: unknown, rhs: unknown) => boolean;
type QueryOp = (selector: string, value: unknown, options: Options) => (obj: AnyObject) => boolean;

const RESOLVE_OPTS = { unwrapArray: true };

/**
 * Equality with null also holds where a dotted path crosses an array element lacking the rest of
 * the path; mingo's resolve drops such elements, so they are looked for separately.
 */
function nullAwareTest(selector: string, op: SimpleOp, rhs: unknown): (obj: AnyObject) => boolean {
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

function simpleOp(op: SimpleOp): QueryOp {
  return (selector, value) => nullAwareTest(selector, op, value);
}

function eqPred(lhs: unknown, rhs: unknown): boolean {
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

function regexMatch(re: unknown, v: unknown): boolean {
  if (typeof v !== 'string') return false;
  if (re instanceof RegExp) {
    re.lastIndex = 0;
    return re.test(v);
  }
  const r = re as { pattern: string; options: string };
  return new RegExp(r.pattern, r.options.replace(/[^imsu]/g, '')).test(v);
}

function isRegex(v: unknown): boolean {
  return v instanceof RegExp || bsonTypeOf(v) === 'BSONRegExp';
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

function int32(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
}

const typeChecks: Record<string, (v: unknown) => boolean> = {
  double: (v) => (typeof v === 'number' && !int32(v)) || bsonTypeOf(v) === 'Double',
  string: (v) => typeof v === 'string',
  object: (v) => typeRank(v) === TypeRank.Object,
  array: (v) => Array.isArray(v),
  binData: (v) => typeRank(v) === TypeRank.BinData,
  undefined: (v) => v === undefined,
  objectId: (v) => bsonTypeOf(v) === 'ObjectId',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => typeRank(v) === TypeRank.Regex,
  javascript: (v) => bsonTypeOf(v) === 'Code',
  int: (v) => int32(v) || bsonTypeOf(v) === 'Int32',
  timestamp: (v) => bsonTypeOf(v) === 'Timestamp',
  long: (v) => bsonTypeOf(v) === 'Long' || typeof v === 'bigint',
  decimal: (v) => bsonTypeOf(v) === 'Decimal128',
  minKey: (v) => bsonTypeOf(v) === 'MinKey',
  maxKey: (v) => bsonTypeOf(v) === 'MaxKey',
  number: (v) => isNumeric(v),
};

const typeCodes: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

export function typeMatcher(spec: unknown): (v: unknown) => boolean {
  const names = (Array.isArray(spec) ? spec : [spec]).map((t) => {
    const name = typeof t === 'number' ? typeCodes[t] : String(t);
    const check = name === undefined ? undefined : typeChecks[name];
    if (!check) throw new Error(`Unknown type name alias: ${String(t)}`);
    return { name, check };
  });
  return (v) => names.some(({ check }) => check(v));
}

const $type: QueryOp = (selector, value) => {
  const matches = typeMatcher(value);
  const wantsArray = (Array.isArray(value) ? value : [value]).some((t) => t === 'array' || t === 4);
  return (obj) => {
    const lhs = resolve(obj, selector, RESOLVE_OPTS);
    if (lhs === undefined) return false;
    if (Array.isArray(lhs)) return wantsArray || lhs.some((e) => matches(e));
    return matches(lhs);
  };
};

// The same predicates as the fast path below, so mingo and simpleMatcher cannot disagree.
const overriddenQueryOps: Record<string, QueryOp> = {
  $eq: simpleOp('$eq'),
  $ne: simpleOp('$ne'),
  $gt: simpleOp('$gt'),
  $gte: simpleOp('$gte'),
  $lt: simpleOp('$lt'),
  $lte: simpleOp('$lte'),
  $in: simpleOp('$in'),
  $nin: simpleOp('$nin'),
  $type,
};

type Accumulator = (coll: AnyObject[], expr: unknown, options: Options) => unknown;

const $sum: Accumulator = (coll, expr, options) => {
  if (typeof expr === 'number') return coll.length * expr;
  const values = accumulatorOperators.$push(coll, expr, options);
  let total: unknown = 0;
  for (const v of values) {
    if (typeof v === 'number' && typeof total === 'number') total += v;
    else if (isNumeric(v)) total = addNumbers(total, v);
  }
  return total;
};

/** $max/$min in $group: MongoDB's cross-type order; missing and null values are ignored. */
function extremeAccumulator(sign: 1 | -1): Accumulator {
  return (coll, expr, options) => {
    let best: unknown = null;
    for (const v of accumulatorOperators.$push(coll, expr, options)) {
      if (v === null || v === undefined) continue;
      if (best === null || compareValues(v, best) * sign > 0) best = v;
    }
    return best;
  };
}

/** Cross-type aware $sort stage (mingo's compare orders bson values by their string form). */
function $sort(coll: Iterator, spec: Record<string, 1 | -1>, _options: Options): Iterator {
  const fields = Object.entries(spec);
  return coll.transform((docs: unknown[]) => Lazy(sortByFields(docs, fields)));
}

type ExpressionOp = (obj: AnyObject, expr: unknown, options: Options) => unknown;

/** Aggregation comparisons: a missing value sorts below null here (it is not equal to null). */
function compareExprValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareValues(a, b);
}

function comparisonExpr(name: string, result: (c: number) => unknown): ExpressionOp {
  return (obj, expr, options) => {
    if (!Array.isArray(expr) || expr.length !== 2) throw new Error(`${name} expects array(2)`);
    const [a, b] = evalExpr(obj, expr, options) as [unknown, unknown];
    return result(compareExprValues(a, b));
  };
}

const overriddenExpressionOps: Record<string, ExpressionOp> = {
  $cmp: comparisonExpr('$cmp', (c) => Math.sign(c)),
  $eq: comparisonExpr('$eq', (c) => c === 0),
  $ne: comparisonExpr('$ne', (c) => c !== 0),
  $gt: comparisonExpr('$gt', (c) => c > 0),
  $gte: comparisonExpr('$gte', (c) => c >= 0),
  $lt: comparisonExpr('$lt', (c) => c < 0),
  $lte: comparisonExpr('$lte', (c) => c <= 0),
};

export const mongoContext = Context.init({
  accumulator: { ...accumulatorOperators, $sum, $max: extremeAccumulator(1), $min: extremeAccumulator(-1) },
  expression: { ...expressionOperators, ...overriddenExpressionOps },
  pipeline: { ...pipelineOperators, $sort },
  projection: projectionOperators,
  query: { ...queryOperators, ...overriddenQueryOps },
  window: windowOperators,
});

export const baseOptions: Partial<Options> = {
  context: mongoContext,
  processingMode: ProcessingMode.CLONE_OFF,
  useStrictMode: true,
  scriptEnabled: false,
};

export interface Matcher {
  test(doc: AnyObject): boolean;
}

type SimpleOp = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte' | '$in' | '$nin';

const SIMPLE_OPS: Record<SimpleOp, Predicate> = {
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
function scalarOperand(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && v !== undefined;
  if (Array.isArray(v) || isRegex(v)) return false;
  return v instanceof Date || bsonTypeOf(v) !== undefined;
}

/**
 * Filters made only of field conditions with scalar operands (by far the most common: by _id, by a
 * key, ranges) are evaluated with the same predicates without building a mingo Query, whose
 * construction copies mingo's whole operator table.
 */
function simpleMatcher(filter: AnyObject): Matcher | undefined {
  const checks: ((doc: AnyObject) => boolean)[] = [];
  for (const [field, cond] of Object.entries(filter)) {
    if (field.startsWith('$')) return undefined;
    if (scalarOperand(cond)) {
      checks.push(nullAwareTest(field, '$eq', cond));
      continue;
    }
    if (
      cond === null ||
      typeof cond !== 'object' ||
      Array.isArray(cond) ||
      Object.getPrototypeOf(cond) !== Object.prototype
    ) {
      return undefined;
    }
    const entries = Object.entries(cond as AnyObject);
    if (entries.length === 0) return undefined;
    for (const [op, operand] of entries) {
      if (!Object.hasOwn(SIMPLE_OPS, op)) return undefined;
      const ok =
        op === '$in' || op === '$nin'
          ? Array.isArray(operand) && operand.every(scalarOperand)
          : scalarOperand(operand);
      if (!ok) return undefined;
      checks.push(nullAwareTest(field, op as SimpleOp, operand));
    }
  }
  return { test: (doc) => checks.every((c) => c(doc)) };
}

const queryCache = new Map<string, Query>();
const QUERY_CACHE_SIZE = 500;

export function compileFilter(filter: AnyObject | undefined): Matcher | undefined {
  if (!filter || Object.keys(filter).length === 0) return undefined;
  const simple = simpleMatcher(filter);
  if (simple) return simple;
  const key = encodeKey(filter);
  let query = queryCache.get(key);
  if (!query) {
    assertSafeRegexes(filter);
    query = new Query(filter, baseOptions);
    // A compiled query fixes $$NOW at compile time, so those must not be reused.
    if (key.includes('$$')) return query;
    if (queryCache.size >= QUERY_CACHE_SIZE) queryCache.delete(queryCache.keys().next().value!);
    queryCache.set(key, query);
  }
  return query;
}

export function makeAggregator(pipeline: AnyObject[], options: Partial<Options>): Aggregator {
  assertSafeRegexes(pipeline);
  return new Aggregator(pipeline, { ...baseOptions, ...options });
}

export { Query };
