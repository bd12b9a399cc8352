import { ObjectId, type Document } from 'bson';
import { cloneDoc } from '../bson/own-fields.js';
import { bsonTypeOf } from '../bson/type-order.js';
import { applyUpdate, updateKind } from './update-apply.js';
import { isRegex } from './regex-engine.js';
import { setPath } from './update-paths.js';

/** The document an upsert inserts: the filter's equality fields, then the update applied as an insert. */
function isPlainEquality(v: unknown): boolean {
  if (isRegex(v)) return false;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || bsonTypeOf(v) !== undefined) return true;
  return v instanceof Date || !Object.keys(v).some((k) => k.startsWith('$'));
}

/** The document an upsert starts from: the filter's equality conditions as (nested) fields. */
export function seedFromFilter(filter: Document, into: Document = {}): Document {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const clause of v) seedFromFilter(clause as Document, into);
      continue;
    }
    if (k.startsWith('$')) continue;
    if (isPlainEquality(v)) {
      setPath(into, k, cloneDoc(v));
    } else if (v && typeof v === 'object' && '$eq' in v) {
      setPath(into, k, cloneDoc((v as Document).$eq));
    } else if (v && typeof v === 'object') {
      // MongoDB seeds from a one-value $in as from an equality.
      const list = (v as Document).$in as unknown;
      if (Array.isArray(list) && list.length === 1) setPath(into, k, cloneDoc(list[0] as unknown));
    }
  }
  return into;
}

/** Builds the document an upsert inserts. */
export function buildUpsertDoc(
  filter: Document,
  u: Document | Document[],
  arrayFilters: Document[] | undefined,
): Document {
  const kind = updateKind(u);
  if (kind === 'replacement') {
    const seed = seedFromFilter(filter);
    const doc = applyUpdate(
      { _id: (seed._id ?? (u as Document)._id) as unknown },
      u,
      filter,
      arrayFilters,
      true,
    );
    if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
    return doc;
  }
  const seed = seedFromFilter(filter);
  const hadId = seed._id !== undefined;
  const base: Document = hadId ? seed : { _id: undefined, ...seed };
  const doc = applyUpdate(base, u, {}, arrayFilters, true);
  if (doc._id === undefined) doc._id = new ObjectId();
  return doc;
}
