import type { AnyObject, Options } from 'mingo/types';
import { Query } from 'mingo/query';
import { resolve } from 'mingo/util';
import * as mingoQueryOperators from 'mingo/operators/query';
import { ErrorCodes, MongoCommandError, unsupported } from '../errors.js';
import { toDouble } from '../bson/numbers.js';
import { isPlainDocument } from '../bson/own-fields.js';
import { plainDocument, plainNumbers } from '../bson/plain-numbers.js';
import { bitOperators } from './bitwise-queries.js';
import { compileRegex, type CompiledRegex } from './regex-engine.js';
import { compareValues, valuesEqual } from '../bson/compare-values.js';
import { bsonTypeOf, isInt32, isNumeric, typeRank, TypeRank } from '../bson/type-order.js';
import { missingUnderArray } from './sort-order.js';

/**
 * MongoDB's query predicates for bson values, where mingo's differ: cross-type numeric equality,
 * Long/Decimal128 ranges with type bracketing, null matching missing fields (also under arrays), and
 * $type aliases. Both ways of evaluating a filter use them: the compiled fast path (compile-filter.ts)
 * and mingo's query operators, which mingo-context.ts replaces with these.
 */

type Predicate = (lhs: unknown, rhs: unknown) => boolean;
type QueryOp = (selector: string, value: unknown, options: Options) => (obj: AnyObject) => boolean;

const RESOLVE_OPTS = { unwrapArray: true };

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

function compiledRegexOf(re: unknown): CompiledRegex {
  if (re instanceof RegExp) return compileRegex(re.source, re.flags);
  const r = re as { pattern: string; options: string };
  return compileRegex(r.pattern, r.options);
}

function regexMatch(re: unknown, v: unknown): boolean {
  return typeof v === 'string' && compiledRegexOf(re).test(v);
}

/** $regex (and a /pattern/ value, which mingo turns into one) on the store's regex engine. */
const $regex: QueryOp = (selector, value) => {
  const compiled = compiledRegexOf(typeof value === 'string' ? new RegExp(value) : value);
  const test = (v: unknown): boolean => typeof v === 'string' && compiled.test(v);
  return (obj) => {
    const lhs = resolve(obj, selector, RESOLVE_OPTS);
    if (!Array.isArray(lhs)) return test(lhs);
    return lhs.some((e) => test(e) || (Array.isArray(e) && e.some(test)));
  };
};

export function isRegex(v: unknown): boolean {
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

const typeChecks: Record<string, (v: unknown) => boolean> = {
  double: (v) => (typeof v === 'number' && !isInt32(v)) || bsonTypeOf(v) === 'Double',
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
  int: (v) => isInt32(v) || bsonTypeOf(v) === 'Int32',
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

/**
 * $all: every listed value must match, each as an equality (or regex, or $elemMatch) would, so a
 * scalar field matches too ({title: {$all: ['x']}} is {title: 'x'}); mingo required an array field.
 */
const $all: QueryOp = (selector, value, options) => {
  const wanted = Array.isArray(value) ? (value as unknown[]) : [value];
  const tests = wanted.map((v): ((lhs: unknown) => boolean) => {
    if (isRegex(v))
      return (lhs) => regexMatch(v, lhs) || (Array.isArray(lhs) && lhs.some((e) => regexMatch(v, e)));
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && '$elemMatch' in v) {
      const inner = compileElemMatch((v as { $elemMatch: AnyObject }).$elemMatch, options);
      return (lhs) => Array.isArray(lhs) && lhs.some(inner);
    }
    return (lhs) => eqPred(lhs, v);
  });
  return (obj) => {
    if (tests.length === 0) return false;
    const lhs = resolve(obj, selector, RESOLVE_OPTS);
    return tests.every((test) => test(lhs));
  };
};

// The same predicates as the fast path below, so mingo and simpleMatcher cannot disagree.
const GEO_QUERY_OPERATORS = ['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$within'];

function refused(feature: string): QueryOp {
  return () => {
    throw unsupported(feature);
  };
}

/** The fields of a DBRef: names a query may use for fields although they start with `$`. */
const DBREF_FIELDS = new Set(['$ref', '$id', '$db']);

/** A condition's fields moved under `v` ({a: 1, $or: [{b: 2}]} becomes {'v.a': 1, $or: [{'v.b': 2}]}). */
function underV(spec: AnyObject): AnyObject {
  const out: AnyObject = {};
  for (const [key, value] of Object.entries(spec)) {
    if (!key.startsWith('$') || DBREF_FIELDS.has(key)) out[`v.${key}`] = value;
    else out[key] = Array.isArray(value) ? value.map((c) => underV(c as AnyObject)) : value;
  }
  return out;
}

/**
 * An $elemMatch condition as a test of one array element: a document, or a value under operators.
 * A document condition naming DBRef fields ({$id: x}) is tested with its fields under a wrapper, as
 * the query library would take `$id` at the top of a query for an operator.
 */
export function compileElemMatch(spec: AnyObject, options: Partial<Options>): (element: unknown) => boolean {
  const keys = Object.keys(spec);
  const onValue =
    keys.length > 0 && keys.every((k) => k.startsWith('$') && !LOGICAL.has(k) && !DBREF_FIELDS.has(k));
  const wrapped = onValue || keys.some((k) => DBREF_FIELDS.has(k));
  const query = new Query(plainNumbers(onValue ? { v: spec } : wrapped ? underV(spec) : spec), options);
  if (onValue) return (element) => query.test({ v: element });
  return (element) => isPlainDocument(element) && query.test(wrapped ? { v: element } : element);
}

const LOGICAL = new Set(['$and', '$or', '$nor', '$expr', '$where', '$text', '$comment']);

/** $elemMatch with the store's element test, which knows DBRef fields ({$id: x}). */
const $elemMatch: QueryOp = (selector, value, options) => {
  const test = compileElemMatch(value as AnyObject, options);
  return (obj) => {
    const lhs = resolve(obj, selector, RESOLVE_OPTS);
    return Array.isArray(lhs) && lhs.some(test);
  };
};

/** $expr evaluates expressions, which are mingo's: it sees documents with plain numbers only. */
const $expr: QueryOp = (selector, value, options) => {
  const test = mingoQueryOperators.$expr(selector, plainNumbers(value), options);
  return (obj) => test(plainDocument(obj));
};

/** $mod: the value, truncated to an integer as MongoDB does, divided with the given remainder. */
const $mod: QueryOp = (selector, value) => {
  const spec = Array.isArray(value) ? (value as unknown[]) : [];
  const [divisor, remainder] = spec.map((v) => (isNumeric(v) ? Math.trunc(toDouble(v)) : NaN));
  if (spec.length !== 2 || !Number.isFinite(divisor) || !Number.isFinite(remainder)) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      'malformed mod, needs to be an array of two finite numbers',
    );
  }
  if (divisor === 0) throw new MongoCommandError(ErrorCodes.BadValue, 'divisor cannot be 0');
  const one = (v: unknown): boolean => {
    if (!isNumeric(v)) return false;
    const n = toDouble(v);
    return Number.isFinite(n) && Math.trunc(n) % divisor! === remainder;
  };
  return (obj) => {
    const lhs = resolve(obj, selector, RESOLVE_OPTS);
    return Array.isArray(lhs) ? lhs.some(one) : one(lhs);
  };
};

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

export const queryOperatorOverrides: Record<string, QueryOp> = {
  ...Object.fromEntries(GEO_QUERY_OPERATORS.map((op) => [op, refused(`geospatial query operator ${op}`)])),
  $eq: simpleOp('$eq'),
  $ne: simpleOp('$ne'),
  $gt: simpleOp('$gt'),
  $gte: simpleOp('$gte'),
  $lt: simpleOp('$lt'),
  $lte: simpleOp('$lte'),
  $in: simpleOp('$in'),
  $nin: simpleOp('$nin'),
  $type,
  $regex,
  $all,
  $elemMatch,
  $expr,
  $mod,
  ...bitOperators,
};
