import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { encodeKey } from '../bson/value-keys.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import type { IndexSpec } from './engine-api.js';
import { indexesToCreate, normalizeIndexSpec } from './index-specs.js';

/** createIndexes, listIndexes and dropIndexes, with MongoDB's checks and error codes. */

export function createIndexes(
  catalog: Catalog,
  db: string,
  coll: string,
  specs: IndexSpec[],
): { numIndexesBefore: number; numIndexesAfter: number; createdCollectionAutomatically: boolean } {
  const normalized = specs.map(normalizeIndexSpec);
  const existing = catalog.get(db, coll);
  const before = existing ? existing.indexes.size : 0;
  // Validate everything before creating anything, so a bad spec leaves no trace.
  const toAdd = indexesToCreate(existing ? existing.indexSpecs() : [], normalized);
  const { coll: c, created } = catalog.getOrCreate(db, coll);
  const added: string[] = [];
  try {
    for (const spec of toAdd) {
      c.addIndex(spec);
      added.push(spec.name);
    }
  } catch (e) {
    for (const name of added) c.dropIndex(name);
    if (created) catalog.saveMeta(c);
    throw e;
  }
  if (toAdd.length > 0 || created) catalog.saveMeta(c);
  return {
    numIndexesBefore: created ? 1 : before,
    numIndexesAfter: c.indexes.size,
    createdCollectionAutomatically: created,
  };
}

export function listIndexes(catalog: Catalog, db: string, coll: string): IndexSpec[] {
  const c = catalog.get(db, coll);
  if (!c) throw new MongoCommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${db}.${coll}`);
  return c.indexSpecs();
}

function indexNames(c: Collection, index: string | string[] | Document): string[] {
  if (index === '*') return [...c.indexes.keys()].filter((n) => n !== '_id_');
  if (typeof index === 'string') return [index];
  if (Array.isArray(index)) return index;
  const found = [...c.indexes.values()].find((i) => encodeKey(i.spec.key) === encodeKey(index));
  if (!found) {
    const message = `can't find index with key: ${JSON.stringify(index)}`;
    throw new MongoCommandError(ErrorCodes.IndexNotFound, message);
  }
  return [found.name];
}

export function dropIndexes(
  catalog: Catalog,
  db: string,
  coll: string,
  index: string | string[] | Document,
): { nIndexesWas: number } {
  const c = catalog.get(db, coll);
  if (!c) throw new MongoCommandError(ErrorCodes.NamespaceNotFound, `ns not found ${db}.${coll}`);
  const was = c.indexes.size;
  const names = indexNames(c, index);
  for (const n of names) {
    if (n === '_id_') throw new MongoCommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    if (!c.indexes.has(n))
      throw new MongoCommandError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
  }
  for (const n of names) c.dropIndex(n);
  catalog.saveMeta(c);
  return { nIndexesWas: was };
}

/**
 * What a hint asks for: the hinted index's order (a sparse or partial index also leaves out the
 * documents it does not hold, as MongoDB's scan of it would), or natural order. A hint naming no
 * index fails with BadValue, as in MongoDB.
 */
export interface HintedScan {
  order: Document;
  holds?: (doc: Document) => boolean;
}

export function resolveHint(c: Collection, hint: Document | string): HintedScan {
  if (typeof hint !== 'string' && (Object.keys(hint).length === 0 || '$natural' in hint))
    return { order: hint };
  const index =
    typeof hint === 'string'
      ? c.indexes.get(hint)
      : [...c.indexes.values()].find((i) => encodeKey(i.spec.key) === encodeKey(hint));
  if (!index) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
  if (index.complete) return { order: index.spec.key };
  return { order: index.spec.key, holds: (doc) => index.keysOf(doc).length > 0 };
}
