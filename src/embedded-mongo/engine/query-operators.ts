import * as mingoQueryOperators from 'mingo/operators/query';
import type { AnyObject } from 'mingo/types';
import { resolve } from 'mingo/util';
import { toDouble } from '../bson/number-order.js';
import { plainDocument, plainValues } from '../bson/plain-values.js';
import { isNumeric } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError, unsupported } from '../errors.js';
import { bitOperators } from './bitwise-queries.js';
import { $all, $elemMatch } from './elem-match.js';
import { nullAwareTest, RESOLVE_OPTS, type QueryOp, type SimpleOp } from './query-predicates.js';
import { compiledRegexOf, compileRegex, type CompiledRegex } from './regex-engine.js';
import { STORE_REGEX } from './filter-operands.js';
import { $type } from './type-query.js';

/**
 * The query operators mingo-context.ts puts in place of mingo's: the store's predicates for the
 * comparisons, and its own $type, $regex, $all, $elemMatch, $expr, $mod and bit tests; geospatial
 * operators are refused by name.
 */

function simpleOp(op: SimpleOp): QueryOp {
  return (selector, value) => nullAwareTest(selector, op, value);
}

function regexTest(selector: string, compiled: CompiledRegex): (obj: AnyObject) => boolean {
  const test = (v: unknown): boolean => typeof v === 'string' && compiled.test(v);
  return (obj) => {
    const lhs = resolve(obj, selector, RESOLVE_OPTS);
    if (!Array.isArray(lhs)) return test(lhs);
    return lhs.some((e) => test(e) || (Array.isArray(e) && e.some(test)));
  };
}

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
  return (obj) => {
    const lhs = resolve(obj, selector, RESOLVE_OPTS);
    return Array.isArray(lhs) ? lhs.some(one) : one(lhs);
  };
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
  $type,
  $regex,
  [STORE_REGEX]: $storeRegex,
  $all,
  $elemMatch,
  $expr,
  $mod,
  ...bitOperators,
};
