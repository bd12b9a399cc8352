/**
 * Field names are data: `__proto__`, `constructor` or `toString` are ordinary names in MongoDB. Read
 * plainly, a JS object answers the inherited `constructor` for a field it does not have, and assigning
 * `__proto__` changes its prototype instead of adding a field. These helpers read and write a
 * document's own fields only.
 */

export function ownField(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

export function setOwnField(obj: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else (obj as Record<string, unknown>)[key] = value;
}

/** A plain document or array, as opposed to a BSON value object (ObjectId, Long, Double...) or a Date. */
export function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A plain document (not an array, not a BSON value object). */
export function isPlainDocument(v: unknown): v is Record<string, unknown> {
  return isContainer(v) && !Array.isArray(v);
}

/**
 * Deep copy of a document's plain objects and arrays; bson value objects (ObjectId, Long, ...) are
 * immutable and shared. Dates are copied because Date is mutable.
 */
export function cloneDoc<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x: unknown) => cloneDoc(x)) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isContainer(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwnField(out, k, cloneDoc((v as Record<string, unknown>)[k]));
  return out as T;
}

/** MongoDB keeps _id first in a projected document; mingo appends it after the projected fields. */
export function idFirst(doc: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(doc);
  if (keys.length < 2 || keys[0] === '_id' || !('_id' in doc)) return doc;
  const { _id, ...rest } = doc;
  return { _id: _id, ...rest };
}
