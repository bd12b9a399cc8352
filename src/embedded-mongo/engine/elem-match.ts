import type { AnyObject, Options } from 'mingo/types';
import { Query } from 'mingo/query';
import { isPlainDocument } from '../bson/own-fields.js';
import { literalOperands } from './filter-operands.js';
import { plainFilter } from '../bson/plain-values.js';
import { equalsTest, regexTest, type QueryOp } from './query-predicates.js';
import { pathTest } from './query-paths.js';
import { isRegex } from './regex-engine.js';

/** Conditions on the elements of an array: $elemMatch, and $all, which may hold $elemMatch clauses. */

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
  const query = new Query(
    plainFilter(literalOperands(onValue ? { v: spec } : wrapped ? underV(spec) : spec)),
    options,
  );
  if (onValue) return (element) => query.test({ v: element });
  return (element) => isPlainDocument(element) && query.test(wrapped ? { v: element } : element);
}

const LOGICAL = new Set(['$and', '$or', '$nor', '$expr', '$where', '$text', '$comment']);

/** Whether an array the path ends at, taken whole as $elemMatch takes it, has an element passing `test`. */
function someArrayElement(
  selector: string,
  test: (element: unknown) => boolean,
): (obj: AnyObject) => boolean {
  return pathTest(selector, false, (v) => Array.isArray(v) && v.some(test));
}

/** $elemMatch with the store's element test, which knows DBRef fields ({$id: x}). */
export const $elemMatch: QueryOp = (selector, value, options) =>
  someArrayElement(selector, compileElemMatch(value as AnyObject, options));

/**
 * $all: every listed value must match, each as an equality (or regex, or $elemMatch) would, so a
 * scalar field matches too ({title: {$all: ['x']}} is {title: 'x'}); mingo required an array field.
 */
export const $all: QueryOp = (selector, value, options) => {
  const wanted = Array.isArray(value) ? (value as unknown[]) : [value];
  const tests = wanted.map((v): ((obj: AnyObject) => boolean) => {
    if (isRegex(v)) return pathTest(selector, true, regexTest(v));
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && '$elemMatch' in v) {
      const inner = compileElemMatch((v as { $elemMatch: AnyObject }).$elemMatch, options);
      return someArrayElement(selector, inner);
    }
    return pathTest(selector, true, equalsTest(v));
  });
  return (obj) => tests.length > 0 && tests.every((test) => test(obj));
};
