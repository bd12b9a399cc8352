import { BSON, ObjectId, type Document } from 'bson';
import type { AnyObject } from 'mingo/types';
import { asMongoError, ErrorCodes, MongoCommandError } from '../errors.js';
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

/** MongoDB names the field that breaks a projection's mode; the query library only says it is mixed. */
function checkProjectionMode(projection: Document): void {
  let mode: 'inclusion' | 'exclusion' | undefined;
  for (const [field, value] of Object.entries(projection)) {
    if (field === '_id' || (typeof value !== 'number' && typeof value !== 'boolean')) continue;
    const fieldMode = value ? 'inclusion' : 'exclusion';
    mode ??= fieldMode;
    if (fieldMode === mode) continue;
    throw new MongoCommandError(
      mode === 'inclusion' ? ErrorCodes.Location31254 : ErrorCodes.Location31253,
      `Cannot do ${fieldMode} on field ${field} in ${mode} projection`,
    );
  }
}

export function applyProjection(docs: Document[], projection: Document, filter?: Document): Document[] {
  checkProjectionMode(projection);
  if (onlySlices(projection)) return docs.map((d) => applySlices(d, projection));
  // The filter matters only to the positional projection ($), which projects the matched element.
  const positional = Object.keys(projection).some((k) => k.endsWith('.$'));
  const query = new Query(positional ? (filter ?? {}) : {}, baseOptions);
  return query.find(docs as AnyObject[], projection).all() as Document[];
}

function isSlice(v: unknown): v is { $slice: number | [number, number] } {
  return v !== null && typeof v === 'object' && Object.keys(v).length === 1 && '$slice' in v;
}

/** MongoDB treats a projection of only $slice fields as "all fields, with these arrays sliced"; mingo does not. */
function onlySlices(projection: Document): boolean {
  const entries = Object.entries(projection).filter(([k]) => k !== '_id');
  return (
    entries.length > 0 &&
    entries.every(([, v]) => isSlice(v)) &&
    (projection._id === undefined || !projection._id)
  );
}

function sliceArray(arr: unknown[], spec: number | [number, number]): unknown[] {
  if (Array.isArray(spec)) {
    const [skip, limit] = spec;
    const start = skip < 0 ? Math.max(0, arr.length + skip) : skip;
    return arr.slice(start, start + limit);
  }
  return spec < 0 ? arr.slice(Math.max(0, arr.length + spec)) : arr.slice(0, spec);
}

function applySlices(doc: Document, projection: Document): Document {
  const out = cloneDoc(doc);
  if (projection._id !== undefined && !projection._id) delete out._id;
  for (const [path, spec] of Object.entries(projection)) {
    if (!isSlice(spec)) continue;
    const parts = path.split('.');
    let cur: unknown = out;
    for (let i = 0; i < parts.length - 1 && cur !== null && typeof cur === 'object'; i++) {
      cur = (cur as Record<string, unknown>)[parts[i]!];
    }
    if (cur === null || typeof cur !== 'object') continue;
    const holder = cur as Record<string, unknown>;
    const last = parts[parts.length - 1]!;
    const value = holder[last];
    if (Array.isArray(value)) holder[last] = sliceArray(value, spec.$slice);
  }
  return out;
}
