import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import { aggregate } from './aggregate.js';
import { Catalog } from './catalog.js';
import type {
  AggregateOptions,
  CollectionInfo,
  DeleteResult,
  DeleteSpec,
  FindAndModifyResult,
  FindAndModifySpec,
  FindOptions,
  IndexSpec,
  InsertResult,
  StoreEngine,
  Transaction,
  UpdateResult,
  UpdateSpec,
  WriteTargets,
} from './engine-api.js';
import { GroupCommit } from './group-commit.js';
import { createIndexes, dropIndexes, listIndexes } from './indexes.js';
import { count, distinct, find, type SourceOf } from './reads.js';
import { Transactions } from './transactions.js';
import { TxnView } from './txn-view.js';
import { writeBlockedBy } from './write-waits.js';
import { Writes } from './writes.js';

/**
 * The storage engine behind the command layer: a thin facade over the catalog (collections), the
 * index commands, reads, writes and transactions. It refuses writes once closed or after a failed
 * disk commit.
 */
export class Engine implements StoreEngine {
  readonly catalog: Catalog;
  private readonly store: SqliteStore;
  private readonly commits: GroupCommit;
  private readonly writes: Writes;
  private readonly txns: Transactions;
  private closed = false;

  constructor(dataDir: string) {
    this.store = new SqliteStore(dataDir);
    this.commits = new GroupCommit((ops) => this.store.commit(ops));
    this.catalog = new Catalog(this.store, this.commits);
    this.txns = new Transactions(this.catalog, this.commits);
    this.writes = new Writes(this.catalog, this.txns);
  }

  private checkWritable(): void {
    if (this.closed) throw new MongoCommandError(ErrorCodes.InternalError, 'the store is closed');
    this.commits.assertHealthy();
  }

  listDatabases(filter?: Document): { name: string; sizeOnDisk: number; empty: boolean }[] {
    return this.catalog.listDatabases(filter);
  }

  dropDatabase(db: string): void {
    this.checkWritable();
    this.catalog.dropDatabase(db);
  }

  listCollections(db: string, filter?: Document): CollectionInfo[] {
    return this.catalog.listCollections(db, filter);
  }

  createCollection(db: string, name: string, options?: Document): void {
    this.checkWritable();
    this.catalog.createCollection(db, name, options);
  }

  dropCollection(db: string, name: string): boolean {
    this.checkWritable();
    return this.catalog.dropCollection(db, name);
  }

  renameCollection(
    fromDb: string,
    fromName: string,
    toDb: string,
    toName: string,
    dropTarget: boolean,
  ): void {
    this.checkWritable();
    this.catalog.renameCollection([fromDb, fromName], [toDb, toName], dropTarget);
  }

  createIndexes(db: string, coll: string, specs: IndexSpec[]): ReturnType<StoreEngine['createIndexes']> {
    this.checkWritable();
    return createIndexes(this.catalog, db, coll, specs);
  }

  listIndexes(db: string, coll: string): IndexSpec[] {
    return listIndexes(this.catalog, db, coll);
  }

  dropIndexes(db: string, coll: string, index: string | string[] | Document): { nIndexesWas: number } {
    this.checkWritable();
    return dropIndexes(this.catalog, db, coll, index);
  }

  insert(db: string, coll: string, docs: Document[], ordered: boolean, txn?: Transaction): InsertResult {
    this.checkWritable();
    return this.writes.insert(db, coll, docs, ordered, this.txns.resolve(txn));
  }

  update(db: string, coll: string, updates: UpdateSpec[], ordered: boolean, txn?: Transaction): UpdateResult {
    this.checkWritable();
    return this.writes.update(db, coll, updates, ordered, this.txns.resolve(txn));
  }

  delete(db: string, coll: string, deletes: DeleteSpec[], ordered: boolean, txn?: Transaction): DeleteResult {
    this.checkWritable();
    return this.writes.delete(db, coll, deletes, ordered, this.txns.resolve(txn));
  }

  findAndModify(db: string, coll: string, spec: FindAndModifySpec, txn?: Transaction): FindAndModifyResult {
    this.checkWritable();
    return this.writes.findAndModify(db, coll, spec, this.txns.resolve(txn));
  }

  /** Reads see the committed state, or inside a transaction its snapshot and its own writes. */
  private sourceOf(txn: Transaction | undefined): SourceOf | undefined {
    if (!txn) return undefined;
    const t = this.txns.resolve(txn);
    return t ? (c) => new TxnView(this.txns, t, c) : undefined;
  }

  find(db: string, coll: string, options: FindOptions, txn?: Transaction): Document[] {
    return find(this.catalog, db, coll, options, this.sourceOf(txn));
  }

  count(
    db: string,
    coll: string,
    query?: Document,
    skip?: number,
    limit?: number,
    txn?: Transaction,
  ): number {
    return count(this.catalog, db, coll, query, skip, limit, this.sourceOf(txn));
  }

  distinct(db: string, coll: string, key: string, query?: Document, txn?: Transaction): unknown[] {
    return distinct(this.catalog, db, coll, key, query, this.sourceOf(txn));
  }

  aggregate(
    db: string,
    coll: string,
    pipeline: Document[],
    options: AggregateOptions = {},
    txn?: Transaction,
  ): Document[] {
    return aggregate(this.catalog, db, coll, pipeline, options, this.sourceOf(txn));
  }

  writeBlockedBy(db: string, coll: string, targets: WriteTargets): Promise<void> | undefined {
    return writeBlockedBy(this.catalog, this.txns.locks, db, coll, targets);
  }

  dbStats(db: string): Document {
    return this.catalog.dbStats(db);
  }

  collStats(db: string, coll: string): Document {
    return this.catalog.collStats(db, coll);
  }

  beginTransaction(): Transaction {
    this.checkWritable();
    return this.txns.begin();
  }

  commitTransaction(txn: Transaction): Promise<void> {
    return this.txns.commit(txn);
  }

  abortTransaction(txn: Transaction): void {
    this.txns.abort(txn);
  }

  whenDurable(): Promise<void> {
    return this.commits.whenDurable();
  }

  expireTtl(now: Date = new Date()): number {
    if (this.closed) return 0;
    return this.writes.expireTtl(now);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.commits.flushNow();
    } finally {
      this.store.close();
    }
  }
}

export function openEngine(options: { dataDir: string }): Engine {
  return new Engine(options.dataDir);
}
