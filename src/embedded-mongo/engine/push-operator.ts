import type { Document } from 'bson';
import { compareValues } from '../bson/compare-values.js';
import { cloneDoc, isContainer } from '../bson/own-fields.js';
import { bsonTypeName, bsonTypeOf } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { FieldOperator } from './field-operators.js';
import { sortByFields } from './sort-order.js';
import { getPath, setPath } from './update-paths.js';

/** $push and its modifiers: $each, then $position, $sort and $slice, applied in that order. */

export function badValue(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.BadValue, message);
}

export function currentArray(doc: Document, path: string): unknown[] {
  return ((getPath(doc, path) as unknown[] | undefined) ?? []).slice();
}

/** The clauses of `{$each: [...], ...}`, or undefined for a plain value to add as it is. */
export function eachClause(op: string, value: unknown, allowed: string[]): Document | undefined {
  if (!isContainer(value) || Array.isArray(value) || !('$each' in value)) return undefined;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw badValue(`Unrecognized clause in ${op}: ${key}`);
  }
  if (!Array.isArray(value.$each)) {
    throw badValue(
      `The argument to $each in ${op} must be an array but it was of type: ${bsonTypeName(value.$each)}`,
    );
  }
  return value;
}

function integerClause(clause: Document, name: string): number | undefined {
  const v: unknown = clause[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' || bsonTypeOf(v) !== undefined ? Number(v) : NaN;
  if (!Number.isInteger(n))
    throw badValue(`The value for ${name} must be an integer value, not of type: ${bsonTypeName(v)}`);
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

export const $push: FieldOperator = (doc, path, value) => {
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
