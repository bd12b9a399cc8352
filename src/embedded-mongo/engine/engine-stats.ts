import { BSON, type Document } from 'bson';
import type { Collection } from './collection.js';

/** Figures for listDatabases/dbStats/collStats; sizes are the documents' BSON lengths. */

export function dataSize(c: Collection): number {
  let size = 0;
  for (const d of c.docs.values()) size += BSON.calculateObjectSize(d);
  return size;
}

export function listDatabases(
  collections: Iterable<Collection>,
): { name: string; sizeOnDisk: number; empty: boolean }[] {
  const byDb = new Map<string, number>();
  for (const c of collections) byDb.set(c.db, (byDb.get(c.db) ?? 0) + dataSize(c));
  return [...byDb.entries()].map(([name, size]) => ({ name, sizeOnDisk: size, empty: size === 0 }));
}

export function dbStats(db: string, collections: Collection[]): Document {
  let objects = 0;
  let size = 0;
  let indexes = 0;
  for (const c of collections) {
    objects += c.docs.size;
    size += dataSize(c);
    indexes += c.indexes.size;
  }
  return {
    db,
    collections: collections.length,
    views: 0,
    objects,
    avgObjSize: objects ? size / objects : 0,
    dataSize: size,
    storageSize: size,
    indexes,
    indexSize: 0,
    totalSize: size,
    scaleFactor: 1,
    ok: 1,
  };
}

export function collStats(c: Collection): Document {
  const size = dataSize(c);
  const count = c.docs.size;
  const indexSizes: Record<string, number> = {};
  for (const name of c.indexes.keys()) indexSizes[name] = 0;
  return {
    ns: c.ns,
    count,
    size,
    avgObjSize: count ? size / count : 0,
    storageSize: size,
    nindexes: c.indexes.size,
    totalIndexSize: 0,
    indexSizes,
    ok: 1,
  };
}
