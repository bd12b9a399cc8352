import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { shellFormat } from '../bson/shell-format.js';
import { isContainer } from '../bson/own-fields.js';
import { getChild, getPath, isIndex, type Container } from './update-paths.js';

/** What MongoDB checks in an operator update before applying any of it. */

function checkFieldPath(path: string): void {
  if (path === '')
    throw new MongoCommandError(ErrorCodes.EmptyFieldName, 'An empty update path is not valid.');
  if (path.split('.').includes('')) {
    throw new MongoCommandError(
      ErrorCodes.EmptyFieldName,
      `The update path '${path}' contains an empty field name, which is not allowed.`,
    );
  }
}

/** True when one path is the other or lies inside it ('a' and 'a.b', not 'a' and 'ab'). */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * Checks every path of an operator document the way MongoDB does before applying anything: an empty
 * field name would otherwise be stored as a '' key (and 'a.' silently replaced all of 'a'), and two
 * operators naming overlapping paths ($set a with $inc a, $set a with $setOnInsert a.b) were applied
 * one after the other, the last silently winning, where MongoDB refuses the whole update (40).
 */
export function checkPaths(u: Document): void {
  const seen: string[] = [];
  const claim = (path: string): void => {
    const clash = seen.find((other) => overlaps(other, path));
    if (clash !== undefined) {
      throw new MongoCommandError(
        ErrorCodes.ConflictingUpdateOperators,
        `Updating the path '${path}' would create a conflict at '${clash.length < path.length ? clash : path}'`,
      );
    }
    seen.push(path);
  };
  for (const [op, expr] of Object.entries(u)) {
    for (const [path, value] of Object.entries(expr as Document)) {
      checkFieldPath(path);
      if (op === '$rename') {
        if (typeof value !== 'string') continue; // mingo reports the type error
        checkFieldPath(value);
        if (value === path) {
          throw new MongoCommandError(
            ErrorCodes.BadValue,
            `The source and target field for $rename must differ: ${path}: "${value}"`,
          );
        }
        if (overlaps(path, value)) {
          throw new MongoCommandError(
            ErrorCodes.BadValue,
            `The source and target field for $rename must not be on the same path: ${path}: "${value}"`,
          );
        }
        claim(value);
      }
      claim(path);
    }
  }
}

const ARRAY_OPERATORS = ['$push', '$addToSet', '$pull', '$pullAll', '$pop'];

/** mingo silently skips array operators on a non-array field; MongoDB fails the update (BadValue). */
export function checkArrayTargets(doc: Document, modifier: Document): void {
  for (const op of ARRAY_OPERATORS) {
    const fields = modifier[op] as Document | undefined;
    if (!fields) continue;
    for (const path of Object.keys(fields)) {
      if (path.includes('$')) continue;
      const current = getPath(doc, path);
      if (current === undefined || current === null || Array.isArray(current)) {
        if (current === null && (op === '$push' || op === '$addToSet'))
          throw notAnArray(op, path, 'null', doc);
        continue;
      }
      throw notAnArray(op, path, typeof current, doc);
    }
  }
}

function notAnArray(op: string, path: string, type: string, doc: Document): MongoCommandError {
  const action =
    op === '$push' || op === '$addToSet'
      ? `The field '${path}' must be an array but is of type ${type}`
      : `Cannot apply ${op} to a non-array value`;
  return new MongoCommandError(ErrorCodes.BadValue, `${action} in document {_id: ${shellFormat(doc._id)}}`);
}

/** Operators that create the path they name when it is missing ($rename: its target). */
const CREATING_OPERATORS = new Set([
  '$set',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$push',
  '$addToSet',
  '$bit',
  '$currentDate',
  '$rename',
]);

/**
 * A path that runs into a value which cannot hold the next field (null, a number, a string, or an
 * array reached by a field name rather than an index) fails the update with PathNotViable (28), as
 * MongoDB does, instead of reporting a success that changed nothing.
 */
export function checkPathsViable(doc: Document, modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    if (!CREATING_OPERATORS.has(op)) continue;
    for (const [key, arg] of Object.entries(fields as Document) as [string, unknown][]) {
      const parts = (op === '$rename' && typeof arg === 'string' ? arg : key).split('.');
      let cur: Container = doc;
      for (let i = 0; i < parts.length - 1; i++) {
        const part = parts[i]!;
        const next = getChild(cur, part);
        if (next === undefined) break;
        const field = parts[i + 1]!;
        if (!isContainer(next) || (Array.isArray(next) && !isIndex(field))) {
          throw new MongoCommandError(
            ErrorCodes.PathNotViable,
            `Cannot create field '${field}' in element {${part}: ${shellFormat(next)}}`,
          );
        }
        cur = next;
      }
    }
  }
}
