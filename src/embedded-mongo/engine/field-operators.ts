import { Timestamp, type Document } from 'bson';
import { compareValues } from '../bson/compare-values.js';
import { cloneDoc } from '../bson/own-fields.js';
import { shellFormat } from '../bson/shell-format.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { getChild, getPath, setPath, unsetPath } from './update-paths.js';

/**
 * The update operators that set, move or remove one field: $set, $unset, $min, $max, $rename and
 * $currentDate ($inc, $mul and $bit are in numeric-operators.ts).
 */

export type FieldOperator = (doc: Document, path: string, arg: unknown) => void;

function extreme(sign: 1 | -1): FieldOperator {
  return (doc, path, value) => {
    const current = getPath(doc, path);
    if (current === undefined || compareValues(value, current) * sign > 0)
      setPath(doc, path, cloneDoc(value));
  };
}

function throughArray(doc: Document, path: string): boolean {
  let cur: unknown = doc;
  for (const part of path.split('.').slice(0, -1)) {
    if (Array.isArray(cur)) return true;
    if (cur === null || typeof cur !== 'object') return false;
    cur = getChild(cur as Document, part);
  }
  return Array.isArray(cur);
}

/** $rename moves a field: the source is unset and the target set, neither of them inside an array. */
const $rename: FieldOperator = (doc, from, to) => {
  if (typeof to !== 'string') {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `The 'to' field for $rename must be a string: ${from}: ${shellFormat(to)}`,
    );
  }
  for (const [which, path] of [
    ['source', from],
    ['destination', to],
  ] as const) {
    if (throughArray(doc, path)) {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        `The ${which} field cannot be an array element, '${path}' in doc with _id: ${shellFormat(doc._id)} has an array field`,
      );
    }
  }
  const value = getPath(doc, from);
  if (value === undefined) return;
  unsetPath(doc, from);
  setPath(doc, to, value);
};

let timestampIncrement = 0;

/** $currentDate: a Date, or a Timestamp when {$type: 'timestamp'} asks for one. */
const $currentDate: FieldOperator = (doc, path, spec) => {
  const type: unknown = spec !== null && typeof spec === 'object' ? (spec as Document).$type : undefined;
  const now = new Date();
  if (spec === true || type === 'date') return setPath(doc, path, now);
  if (type !== 'timestamp') {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      "$currentDate: expected a boolean or {$type: 'date'} or {$type: 'timestamp'}",
    );
  }
  timestampIncrement = (timestampIncrement + 1) % 0x7fffffff;
  setPath(doc, path, new Timestamp({ t: Math.floor(now.getTime() / 1000), i: timestampIncrement }));
};

export const fieldOperators: Record<string, FieldOperator> = {
  $set: (doc, path, value) => setPath(doc, path, cloneDoc(value)),
  $unset: (doc, path) => unsetPath(doc, path),
  $min: extreme(-1),
  $max: extreme(1),
  $rename,
  $currentDate,
};
