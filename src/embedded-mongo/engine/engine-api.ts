import type { Document } from 'bson';

/**
 * The contract between the command layer (wire protocol, command dispatch) and the storage engine.
 * The engine is synchronous and single-threaded: every method runs to completion on the store's own
 * thread. Writes change memory at once; `whenDurable()` resolves once everything written so far is
 * committed to disk, and the command layer awaits it before replying to a write (group commit).
 *
 * Errors are thrown as MongoCommandError (../errors.ts). Write methods do not throw for per-document
 * failures: those come back in `writeErrors` (MongoDB's shape), and an ordered batch stops at the first.
 */

export type SortDirection = 1 | -1;

export interface IndexSpec {
  v?: number;
  key: Record<string, SortDirection>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

export interface FindOptions {
  filter?: Document;
  sort?: Document;
  projection?: Document;
  skip?: number;
  /** 0 or absent: no limit. */
  limit?: number;
  hint?: Document | string;
}

export interface AggregateOptions {
  /** An index name or key pattern: the input comes in that index's order, as its scan gives it. */
  hint?: Document | string;
}

export interface UpdateSpec {
  q: Document;
  /** Operator document, replacement document, or aggregation pipeline. */
  u: Document | Document[];
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
}

export interface DeleteSpec {
  q: Document;
  /** 0 = all matching, 1 = one. */
  limit: 0 | 1;
}

export interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  /** For duplicate keys: keyPattern and keyValue, as MongoDB sends them. */
  [extra: string]: unknown;
}

export interface InsertResult {
  n: number;
  writeErrors: WriteError[];
}

export interface UpdateResult {
  n: number;
  nModified: number;
  upserted: { index: number; _id: unknown }[];
  writeErrors: WriteError[];
}

export interface DeleteResult {
  n: number;
  writeErrors: WriteError[];
}

export interface FindAndModifySpec {
  query?: Document;
  sort?: Document;
  remove?: boolean;
  update?: Document | Document[];
  new?: boolean;
  upsert?: boolean;
  fields?: Document;
  arrayFilters?: Document[];
}

export interface FindAndModifyResult {
  value: Document | null;
  lastErrorObject: { n: number; updatedExisting?: boolean; upserted?: unknown };
}

export interface CollectionInfo {
  name: string;
  type: 'collection';
  options: Document;
  info: { readOnly: boolean; uuid?: unknown };
  idIndex: IndexSpec;
}

/** What a write outside a transaction would touch, to find the transactions it must wait for. */
export interface WriteTargets {
  /** Documents to insert (their _id or a unique key may be one a transaction holds). */
  inserts?: Document[];
  /**
   * Updates, deletes and findAndModify: what they match, and for updates the update, whose result (or
   * upserted document) may carry a unique key a transaction holds.
   */
  filters?: {
    q: Document;
    u?: Document | Document[];
    multi?: boolean;
    upsert?: boolean;
    arrayFilters?: Document[];
    sort?: Document;
  }[];
}

/** Opaque handle of a running transaction; its changes stay its own until commitTransaction. */
export interface Transaction {
  readonly id: number;
}

export interface StoreEngine {
  /** The filter is matched against each database's entry, as listDatabases' filter option. */
  listDatabases(filter?: Document): { name: string; sizeOnDisk: number; empty: boolean }[];
  dropDatabase(db: string): void;

  listCollections(db: string, filter?: Document): CollectionInfo[];
  /** Throws NamespaceExists (48) when the collection exists. */
  createCollection(db: string, name: string, options?: Document): void;
  /** Returns false when there was no such collection. */
  dropCollection(db: string, name: string): boolean;
  /** Throws NamespaceNotFound (26) for a missing source, NamespaceExists (48) for an existing target unless dropTarget. */
  renameCollection(fromDb: string, fromName: string, toDb: string, toName: string, dropTarget: boolean): void;

  /** Creates the collection when missing. Same name + same spec is a no-op; conflicting specs throw 85/86. */
  createIndexes(
    db: string,
    coll: string,
    specs: IndexSpec[],
  ): { numIndexesBefore: number; numIndexesAfter: number; createdCollectionAutomatically: boolean };
  /** Throws NamespaceNotFound (26) when the collection is missing. */
  listIndexes(db: string, coll: string): IndexSpec[];
  /** index: a name, a list of names, '*' (all but _id_), or a key pattern. Throws IndexNotFound (27). */
  dropIndexes(db: string, coll: string, index: string | string[] | Document): { nIndexesWas: number };

  /** Documents without _id get an ObjectId. Creates the collection when missing. */
  insert(db: string, coll: string, docs: Document[], ordered: boolean, txn?: Transaction): InsertResult;
  update(db: string, coll: string, updates: UpdateSpec[], ordered: boolean, txn?: Transaction): UpdateResult;
  delete(db: string, coll: string, deletes: DeleteSpec[], ordered: boolean, txn?: Transaction): DeleteResult;
  findAndModify(db: string, coll: string, spec: FindAndModifySpec, txn?: Transaction): FindAndModifyResult;

  /**
   * Matching documents in order, projected. The returned objects must not be mutated by the caller;
   * the engine never mutates a stored document in place (updates store new objects), so the caller may
   * keep them for a cursor.
   */
  find(db: string, coll: string, options: FindOptions, txn?: Transaction): Document[];
  count(db: string, coll: string, query?: Document, skip?: number, limit?: number, txn?: Transaction): number;
  distinct(db: string, coll: string, key: string, query?: Document, txn?: Transaction): unknown[];
  /** Never mutates stored documents. $lookup may read other collections of the same db. */
  aggregate(
    db: string,
    coll: string,
    pipeline: Document[],
    options?: AggregateOptions,
    txn?: Transaction,
  ): Document[];

  dbStats(db: string): Document;
  collStats(db: string, coll: string): Document;

  /**
   * A write outside a transaction that would change a document a running transaction holds must wait
   * for it: this returns when it may go ahead (a promise to await, then ask again), or undefined.
   */
  writeBlockedBy(db: string, coll: string, targets: WriteTargets): Promise<void> | undefined;

  /** Starts a snapshot-isolated transaction: it sees what was committed before it, plus its own writes. */
  beginTransaction(): Transaction;
  /**
   * Applies the transaction's writes and makes them durable (resolves after the disk commit); fails
   * with WriteConflict (112) when they can no longer be applied, after aborting it.
   */
  commitTransaction(txn: Transaction): Promise<void>;
  /** Drops every change the transaction made; nothing of it was visible or reached the disk. */
  abortTransaction(txn: Transaction): void;

  /** Resolves when every write made so far (outside open transactions) is committed to disk. */
  whenDurable(): Promise<void>;
  /** Deletes documents whose TTL index says they have expired; returns how many. Called on a timer by the server. */
  expireTtl(now?: Date): number;
  /** Flushes and closes the database file. */
  close(): void;
}
