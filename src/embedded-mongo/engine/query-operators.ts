import * as mingoQueryOperators from 'mingo/operators/query';
import type { AnyObject } from 'mingo/types';
import { toDouble } from '../bson/number-order.js';
import { plainDocument, plainValues } from '../bson/plain-values.js';
import { isNumeric } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError, unsupported } from '../errors.js';
import { bitOperators } from './bitwise-queries.js';
import { $all, $elemMatch } from './elem-match.js';
import { comparisonTest, type QueryOp, type SimpleOp } from './query-predicates.js';
import { pathTest } from './query-paths.js';
import { compiledRegexOf, compileRegex, type CompiledRegex } from './regex-engine.js';
import { STORE_REGEX } from './filter-operands.js';
import { $type } from './type-query.js';

/**
 * The query operators mingo-context.ts puts in place of mingo's: the store's predicates for the
 * comparisons, and its own $exists, $size, $type, $regex, $all, $elemMatch, $expr, $mod and bit
 * tests, all reading paths as MongoDB does (query-paths.ts); geospatial operators are refused by name.
 */

function simpleOp(op: SimpleOp): QueryOp {
  return (selector, value) => comparisonTest(selector, op, value);
}

function regexTest(selector: string, compiled: CompiledRegex): (obj: AnyObject) => boolean {
  return pathTest(selector, true, (v) => typeof v === 'string' && compiled.test(v));
}

/** $exists: whether the path yields a value that is not missing (an empty array on the way yields none). */
const $exists: QueryOp = (selector, value) => {
  const exists = pathTest(selector, true, (v) => v !== undefined);
  return value ? exists : (obj) => !exists(obj);
};

/** $size: an array the path ends at (tested whole, not its elements) with that many elements. */
const $size: QueryOp = (selector, value) =>
  pathTest(selector, false, (v) => Array.isArray(v) && v.length === value);

/** A regex condition as filter-operands.ts leaves it: pattern and options, run on the store's engine. */
const $storeRegex: QueryOp = (selector, value) => {
  const [pattern, options] = value as [string, string];
  return regexTest(selector, compileRegex(pattern, options));
};

/** $regex as mingo may still build it internally (a JavaScript RegExp), on the store's engine too. */
const $regex: QueryOp = (selector, value) =>
  regexTest(selector, compiledRegexOf(typeof value === 'string' ? new RegExp(value) : value));

/** $expr evaluates expressions, which are mingo's: it sees documents with plain numbers only. */
const $expr: QueryOp = (selector, value, options) => {
  const test = mingoQueryOperators.$expr(selector, plainValues(value), options);
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
  return pathTest(selector, true, one);
};

const GEO_QUERY_OPERATORS = ['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$within'];

function refused(feature: string): QueryOp {
  return () => {
    throw unsupported(feature);
  };
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
  $exists,
  $size,
  $type,
  $regex,
  [STORE_REGEX]: $storeRegex,
  $all,
  $elemMatch,
  $expr,
  $mod,
  ...bitOperators,
};
