import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { isContainer, ownField, setOwnField } from '../bson/own-fields.js';

/** Dotted paths in the documents an update changes, and the one field it may never change. */

export type Container = Record<string, unknown> | unknown[];

export function immutableIdError(): MongoCommandError {
  return new MongoCommandError(
    ErrorCodes.ImmutableField,
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

export function touchesId(path: string): boolean {
  return path === '_id' || path.startsWith('_id.');
}

const INDEX = /^\d+$/;

export function isIndex(part: string): boolean {
  return INDEX.test(part);
}

/** A field of a document, or an element of an array by its index; a field name reaches no element. */
export function getChild(c: Container, key: string): unknown {
  if (Array.isArray(c)) return isIndex(key) ? c[Number(key)] : undefined;
  return ownField(c, key);
}

/** Sets a field, or an array element (padding the array with nulls up to it, as MongoDB does). */
export function setChild(c: Container, key: string, value: unknown): void {
  if (!Array.isArray(c)) return setOwnField(c, key, value);
  const i = Number(key);
  while (c.length < i) c.push(null);
  c[i] = value;
}

/** Removes a field; an array element is set to null instead, so later elements keep their place. */
export function removeChild(c: Container, key: string): void {
  if (!Array.isArray(c)) delete c[key];
  else if (isIndex(key) && Number(key) < c.length) c[Number(key)] = null;
}

/**
 * The container holding a path's last part. Missing documents on the way are created when `create`
 * is set; otherwise, and wherever the path meets something that holds no fields, there is none.
 */
export function parentOf(doc: Document, parts: string[], create: boolean): Container | undefined {
  let cur: Container = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (Array.isArray(cur) && !isIndex(part)) return undefined;
    let next = getChild(cur, part);
    if (next === undefined && create) {
      next = {};
      setChild(cur, part, next);
    }
    if (!isContainer(next)) return undefined;
    cur = next;
  }
  return cur;
}

export function getPath(doc: Document, path: string): unknown {
  const parts = path.split('.');
  const parent = parentOf(doc, parts, false);
  return parent === undefined ? undefined : getChild(parent, parts[parts.length - 1]!);
}

export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  const parent = parentOf(doc, parts, true);
  if (parent) setChild(parent, parts[parts.length - 1]!, value);
}

export function unsetPath(doc: Document, path: string): void {
  const parts = path.split('.');
  const parent = parentOf(doc, parts, false);
  if (parent) removeChild(parent, parts[parts.length - 1]!);
}

/**
 * MongoDB applies an update's fields in path order, part by part: names by their bytes, array indexes
 * by number; so `{$set: {b: 1, a: 2}}` adds `a` before `b`.
 */
export function comparePaths(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (isIndex(x) && isIndex(y)) return Number(x) - Number(y);
    return Buffer.compare(Buffer.from(x), Buffer.from(y));
  }
  return pa.length - pb.length;
}
