import { ObjectId, type Document } from 'bson';
import type { AnyObject } from 'mingo/types';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { cloneDoc, encodeKey } from './bson-values.js';
import type { WriteError } from './engine-api.js';
import { baseOptions, Query } from './query-context.js';

/** Checks MongoDB applies to names and documents, and the shape of per-document results. */

export function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db)) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
  }
  if (!name || name.includes('$') || name.includes('\0')) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: '${name}'`);
  }
}

export function validateDocument(doc: Document): void {
  if (Array.isArray(doc._id)) {
    throw new MongoCommandError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type array");
  }
  if (doc._id instanceof RegExp) {
    throw new MongoCommandError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type regex");
  }
}

/** A stored copy of an inserted document, with _id first (generated when missing). */
export function prepareInsert(doc: Document): Document {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MongoCommandError(ErrorCodes.BadValue, 'document to insert must be an object');
  }
  const out: Document = { _id: doc._id === undefined ? new ObjectId() : cloneDoc(doc._id as unknown) };
  for (const [k, v] of Object.entries(doc)) {
    if (k === '_id') continue;
    if (k.startsWith('$')) {
      throw new MongoCommandError(
        ErrorCodes.DollarPrefixedFieldName,
        `Document can't have $ prefixed field names: ${k}`,
      );
    }
    out[k] = cloneDoc(v as unknown);
  }
  validateDocument(out);
  return out;
}

/** True when an update produced a document identical to the old one (same fields, order and values). */
export function unchanged(after: Document, before: Document): boolean {
  const ka = Object.keys(after);
  const kb = Object.keys(before);
  if (ka.length !== kb.length || !ka.every((k, i) => k === kb[i])) return false;
  return encodeKey(after) === encodeKey(before);
}

export function toWriteError(e: unknown, index: number): WriteError {
  if (e instanceof MongoCommandError) return { index, code: e.code, errmsg: e.message, ...e.extra };
  return { index, code: ErrorCodes.InternalError, errmsg: e instanceof Error ? e.message : String(e) };
}

export function applyProjection(docs: Document[], projection: Document, filter?: Document): Document[] {
  // The filter matters only to the positional projection ($), which projects the matched element.
  const positional = Object.keys(projection).some((k) => k.endsWith('.$'));
  const query = new Query(positional ? (filter ?? {}) : {}, baseOptions);
  return query.find(docs as AnyObject[], projection).all() as Document[];
}
