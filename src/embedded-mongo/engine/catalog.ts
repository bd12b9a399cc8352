import type { Document } from 'bson';
import type { AnyObject } from 'mingo/types';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { DiskOp, SqliteStore } from '../storage/sqlite-store.js';
import { Collection, ID_INDEX_SPEC } from './collection.js';
import { compileFilter } from './compile-filter.js';
import { validateName } from './document-checks.js';
import type { CollectionInfo, IndexSpec } from './engine-api.js';
import { collStats, dbStats, listDatabases } from './engine-stats.js';
import type { GroupCommit } from './group-commit.js';
import { normalizeIndexSpec } from './index-specs.js';

/** Changes a transaction keeps until it commits: disk operations, and collections it created. */
export interface PendingChanges {
  readonly ops: DiskOp[];
  readonly created: Collection[];
}

/**
 * The collections in memory, by namespace, and the way their changes reach the disk: outside a
 * transaction a change joins the next group commit; inside one it waits in the transaction until commit.
 */
export class Catalog {
  private readonly collections = new Map<string, Collection>();

  constructor(
    store: SqliteStore,
    private readonly commits: GroupCommit,
  ) {
    for (const c of store.loadCollections()) {
      const specs = c.indexes.map((s) => normalizeIndexSpec(s as IndexSpec));
      this.collections.set(c.ns, new Collection(c.db, c.name, c.options, specs));
    }
    let current: Collection | undefined;
    store.loadDocuments((ns, doc) => {
      if (current?.ns !== ns) current = this.collections.get(ns) ?? this.adopt(ns);
      current.load(doc);
    });
  }

  /** Documents whose collection has no metadata row (written before it existed) still load. */
  private adopt(ns: string): Collection {
    const dot = ns.indexOf('.');
    const coll = new Collection(ns.slice(0, dot), ns.slice(dot + 1));
    this.collections.set(ns, coll);
    return coll;
  }

  all(): Collection[] {
    return [...this.collections.values()];
  }

  get(db: string, name: string): Collection | undefined {
    return this.collections.get(`${db}.${name}`);
  }

  queue(op: DiskOp, txn: PendingChanges | undefined): void {
    if (txn) txn.ops.push(op);
    else this.commits.push(op);
  }

  saveMeta(c: Collection, txn?: PendingChanges): void {
    const indexes = c.indexSpecs() as unknown as Document[];
    this.queue({ k: 'meta', ns: c.ns, db: c.db, name: c.name, options: c.options, indexes }, txn);
  }

  getOrCreate(db: string, name: string, txn?: PendingChanges): { coll: Collection; created: boolean } {
    const existing = this.get(db, name);
    if (existing) return { coll: existing, created: false };
    validateName(db, name);
    const coll = new Collection(db, name);
    this.collections.set(coll.ns, coll);
    this.saveMeta(coll, txn);
    txn?.created.push(coll);
    return { coll, created: true };
  }

  /** Forgets a collection a transaction created, when the transaction is aborted. */
  forget(coll: Collection): void {
    if (this.collections.get(coll.ns) === coll) this.collections.delete(coll.ns);
  }

  listDatabases(filter?: Document): { name: string; sizeOnDisk: number; empty: boolean }[] {
    const all = listDatabases(this.collections.values());
    const query = compileFilter(filter);
    return query ? all.filter((d) => query.test(d as unknown as AnyObject)) : all;
  }

  dropDatabase(db: string): void {
    for (const c of this.all()) if (c.db === db) this.dropCollection(db, c.name);
  }

  listCollections(db: string, filter?: Document): CollectionInfo[] {
    const infos: CollectionInfo[] = [];
    for (const c of this.collections.values()) {
      if (c.db !== db) continue;
      const info = { readOnly: false };
      infos.push({ name: c.name, type: 'collection', options: c.options, info, idIndex: ID_INDEX_SPEC });
    }
    const query = compileFilter(filter);
    return query ? infos.filter((i) => query.test(i as unknown as AnyObject)) : infos;
  }

  createCollection(db: string, name: string, options: Document = {}): void {
    if (this.get(db, name))
      throw new MongoCommandError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    validateName(db, name);
    const coll = new Collection(db, name, options);
    this.collections.set(coll.ns, coll);
    this.saveMeta(coll);
  }

  dropCollection(db: string, name: string): boolean {
    const c = this.get(db, name);
    if (!c) return false;
    this.collections.delete(c.ns);
    this.queue({ k: 'dropNs', ns: c.ns }, undefined);
    return true;
  }

  renameCollection(from: [string, string], to: [string, string], dropTarget: boolean): void {
    const [fromDb, fromName] = from;
    const [toDb, toName] = to;
    const c = this.get(fromDb, fromName);
    if (!c) {
      const message = `Source collection ${fromDb}.${fromName} does not exist`;
      throw new MongoCommandError(ErrorCodes.NamespaceNotFound, message);
    }
    if (this.get(toDb, toName)) {
      if (!dropTarget) {
        const message = `Target collection ${toDb}.${toName} already exists`;
        throw new MongoCommandError(ErrorCodes.NamespaceExists, message);
      }
      this.dropCollection(toDb, toName);
    }
    validateName(toDb, toName);
    const fromNs = c.ns;
    this.collections.delete(fromNs);
    c.db = toDb;
    c.name = toName;
    c.rebuildIndexes();
    this.collections.set(c.ns, c);
    this.queue({ k: 'renameNs', from: fromNs, to: c.ns, db: toDb, name: toName }, undefined);
  }

  dbStats(db: string): Document {
    return dbStats(
      db,
      this.all().filter((c) => c.db === db),
    );
  }

  collStats(db: string, name: string): Document {
    const c = this.get(db, name);
    if (!c)
      throw new MongoCommandError(ErrorCodes.NamespaceNotFound, `Collection [${db}.${name}] not found.`);
    return collStats(c);
  }
}
