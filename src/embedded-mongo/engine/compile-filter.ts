import { Query } from 'mingo/query';
import type { AnyObject } from 'mingo/types';
import { unsupported } from '../errors.js';
import { plainFilter } from '../bson/plain-values.js';
import { encodeKey } from '../bson/value-keys.js';
import { literalOperands } from './filter-operands.js';
import { baseOptions } from './mingo-context.js';
import { comparisonTest, scalarOperand, SIMPLE_OPS, type SimpleOp } from './query-predicates.js';
import { assertSafeRegexes } from './regex-guard.js';

/**
 * The one way the store evaluates a filter (finds, writes, partial indexes, listCollections and
 * listDatabases alike), so every caller agrees on what matches.
 */

export interface Matcher {
  test(doc: AnyObject): boolean;
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
      checks.push(comparisonTest(field, '$eq', cond));
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
      checks.push(comparisonTest(field, op as SimpleOp, operand));
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
    if ('$text' in filter) throw unsupported('$text search');
    assertSafeRegexes(filter);
    query = new Query(plainFilter(literalOperands(filter)), baseOptions);
    // A compiled query fixes $$NOW at compile time, so those must not be reused.
    if (key.includes('$$')) return query;
    if (queryCache.size >= QUERY_CACHE_SIZE) queryCache.delete(queryCache.keys().next().value!);
    queryCache.set(key, query);
  }
  return query;
}
