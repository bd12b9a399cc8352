import { BSON, ObjectId, type Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { asMongoError } from '../foreign-errors.js';
import { cloneDoc, setOwnField } from '../bson/own-fields.js';
import type { WriteError } from './engine-api.js';
import { isRegex } from './regex-engine.js';

/** Checks MongoDB applies to names and documents before storing them, and the shape of per-document errors. */

export function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db)) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
  }
  if (!name || name.includes('$') || name.includes('\0')) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: '${name}'`);
  }
}

/** MongoDB stores documents nested at most this deep, so deeper data could never move to it. */
const MAX_NESTING_DEPTH = 100;

function nestingDepth(value: unknown, depth: number): number {
  if (value === null || typeof value !== 'object') return depth;
  const isContainer = Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
  if (!isContainer) return depth;
  let deepest = depth + 1;
  if (deepest > MAX_NESTING_DEPTH) return deepest;
  for (const child of Object.values(value as Record<string, unknown>)) {
    deepest = Math.max(deepest, nestingDepth(child, depth + 1));
    if (deepest > MAX_NESTING_DEPTH) break;
  }
  return deepest;
}

export function validateDocument(doc: Document): void {
  // The document itself is level 0; each embedded document or array adds one.
  if (nestingDepth(doc, -1) > MAX_NESTING_DEPTH) {
    throw new MongoCommandError(
      ErrorCodes.Overflow,
      `cannot insert document because it exceeds ${MAX_NESTING_DEPTH} levels of nesting`,
    );
  }
  if (Array.isArray(doc._id)) {
    throw new MongoCommandError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type array");
  }
  if (isRegex(doc._id)) {
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
    // MongoDB 5.0 stores field names starting with $ as they are, at the top level too.
    if (k !== '_id') setOwnField(out, k, cloneDoc(v as unknown));
  }
  validateDocument(out);
  return out;
}

const MAX_BSON_SIZE = 16 * 1024 * 1024;

/**
 * Serializes a document for the disk before it changes memory, so a document that cannot be stored
 * is refused on its own instead of failing the next group commit for everyone.
 */
export function toBson(doc: Document): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = BSON.serialize(doc);
  } catch (e) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `cannot store document: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (bytes.length > MAX_BSON_SIZE) {
    throw new MongoCommandError(
      ErrorCodes.BSONObjectTooLarge,
      `object to insert too large. size in bytes: ${bytes.length}, max size: ${MAX_BSON_SIZE}`,
    );
  }
  return bytes;
}

export function toWriteError(e: unknown, index: number): WriteError {
  const error = asMongoError(e);
  return { index, code: error.code, errmsg: error.message, ...error.extra };
}
