import type { Document } from 'bson';
import { compareValues, valuesEqual } from '../bson/compare-values.js';
import { cloneDoc, isContainer, isPlainDocument } from '../bson/own-fields.js';
import { bsonTypeOf } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { baseOptions } from './mingo-context.js';
import { compileElemMatch } from './query-predicates.js';
import { compileRegex } from './regex-engine.js';
import { sortByFields } from './sort-order.js';
import { getPath, setPath } from './update-paths.js';
import type { FieldOperator } from './field-operators.js';

/**
 * The update operators on arrays: $push (with $each, $position, $slice and $sort), $addToSet, $pop,
 * $pull and $pullAll. update-checks.ts has already refused a target that is not an array.
 */

function badValue(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.BadValue, message);
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : (bsonTypeOf(v)?.toLowerCase() ?? typeof v);
}

function currentArray(doc: Document, path: string): unknown[] {
  return ((getPath(doc, path) as unknown[] | undefined) ?? []).slice();
}

/** The clauses of `{$each: [...], ...}`, or undefined for a plain value to add as it is. */
function eachClause(op: string, value: unknown, allowed: string[]): Document | undefined {
  if (!isContainer(value) || Array.isArray(value) || !('$each' in value)) return undefined;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw badValue(`Unrecognized clause in ${op}: ${key}`);
  }
  if (!Array.isArray(value.$each)) {
    throw badValue(
      `The argument to $each in ${op} must be an array but it was of type: ${typeName(value.$each)}`,
    );
  }
  return value;
}

function integerClause(clause: Document, name: string): number | undefined {
  const v: unknown = clause[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' || bsonTypeOf(v) !== undefined ? Number(v) : NaN;
  if (!Number.isInteger(n))
    throw badValue(`The value for ${name} must be an integer value, not of type: ${typeName(v)}`);
  return n;
}

function sortElements(elements: unknown[], spec: unknown): unknown[] {
  if (spec === 1 || spec === -1) {
    const dir = spec;
    return elements
      .map((e, i) => [e, i] as const)
      .sort((a, b) => compareValues(a[0], b[0]) * dir || a[1] - b[1])
      .map(([e]) => e);
  }
  const fields = isContainer(spec) && !Array.isArray(spec) ? Object.entries(spec) : [];
  if (fields.length === 0 || fields.some(([, d]) => d !== 1 && d !== -1)) {
    throw badValue(
      'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields',
    );
  }
  return sortByFields(elements, fields);
}

const $push: FieldOperator = (doc, path, value) => {
  const clause = eachClause('$push', value, ['$each', '$position', '$slice', '$sort']);
  const added = clause ? (clause.$each as unknown[]).map((v) => cloneDoc(v)) : [cloneDoc(value)];
  let array = currentArray(doc, path);
  const position = clause ? integerClause(clause, '$position') : undefined;
  const at =
    position === undefined
      ? array.length
      : position < 0
        ? Math.max(0, array.length + position)
        : Math.min(position, array.length);
  array.splice(at, 0, ...added);
  if (clause?.$sort !== undefined) array = sortElements(array, clause.$sort as unknown);
  const slice = clause ? integerClause(clause, '$slice') : undefined;
  if (slice !== undefined)
    array = slice < 0 ? array.slice(Math.max(0, array.length + slice)) : array.slice(0, slice);
  setPath(doc, path, array);
};

const $addToSet: FieldOperator = (doc, path, value) => {
  const clause = eachClause('$addToSet', value, ['$each']);
  const array = currentArray(doc, path);
  for (const v of clause ? (clause.$each as unknown[]) : [value]) {
    if (!array.some((x) => valuesEqual(x, v))) array.push(cloneDoc(v));
  }
  setPath(doc, path, array);
};

const $pop: FieldOperator = (doc, path, end) => {
  const n = typeof end === 'number' || bsonTypeOf(end) !== undefined ? Number(end) : NaN;
  if (n !== 1 && n !== -1)
    throw new MongoCommandError(ErrorCodes.FailedToParse, `$pop expects 1 or -1, found: ${String(end)}`);
  const array = getPath(doc, path);
  if (!Array.isArray(array) || array.length === 0) return;
  setPath(doc, path, n === 1 ? array.slice(0, -1) : array.slice(1));
};

/**
 * A $pull condition is a query on each element (a document element is matched as a document, so
 * {$or: [...]} or {name: 'x'} works and extra fields do not matter; a scalar element is matched
 * against operators such as {$gte: 6}); any other value removes the equal elements.
 */
function pullMatcher(condition: unknown): (element: unknown) => boolean {
  if (condition instanceof RegExp) {
    const regex = compileRegex(condition.source, condition.flags);
    return (element) => typeof element === 'string' && regex.test(element);
  }
  if (!isPlainDocument(condition)) return (element) => valuesEqual(element, condition);
  return compileElemMatch(condition, baseOptions);
}

const $pull: FieldOperator = (doc, path, condition) => {
  const array = getPath(doc, path);
  if (!Array.isArray(array)) return;
  const matches = pullMatcher(condition);
  setPath(
    doc,
    path,
    array.filter((element) => !matches(element)),
  );
};

const $pullAll: FieldOperator = (doc, path, values) => {
  if (!Array.isArray(values))
    throw badValue(`$pullAll requires an array argument but was given a ${typeName(values)}`);
  const array = getPath(doc, path);
  if (!Array.isArray(array)) return;
  setPath(
    doc,
    path,
    array.filter((element) => !values.some((v) => valuesEqual(element, v))),
  );
};

export const arrayOperators: Record<string, FieldOperator> = { $push, $addToSet, $pop, $pull, $pullAll };
