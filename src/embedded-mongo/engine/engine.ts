import type { Document } from 'bson';
import type { AnyObject } from 'mingo/types';
import { asMongoError, ErrorCodes, MongoCommandError } from '../errors.js';
import { SqliteStore, type DiskOp } from '../storage/sqlite-store.js';
import type {
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
  WriteError,
} from './engine-api.js';
import { cloneDoc, encodeKey } from './bson-values.js';
import { Collection, ID_INDEX_SPEC } from './collection.js';
import { compileFilter, makeAggregator } from './query-context.js';
import { pathValues, sortDocuments } from './sort-order.js';
import { applyUpdate, buildUpsertDoc } from './update-apply.js';
import { indexesToCreate, normalizeIndexSpec } from './index-specs.js';
import {
  applyProjection,
  prepareInsert,
  toBson,
  toWriteError,
  unchanged,
  validateDocument,
  validateName,
} from './document-rules.js';
import { collStats, dbStats, listDatabases } from './engine-stats.js';
import { GroupCommit } from './group-commit.js';

interface UndoEntry {
  coll: Collection;
  id: string;
  before: Document | undefined;
  /** Natural-order position of a deleted document. */
  seq?: number;
  /** Set when the transaction created the collection implicitly. */
  created?: boolean;
}

class TxnState implements Transaction {
  readonly undo: UndoEntry[] = [];
  readonly ops: DiskOp[] = [];
  active = true;
  constructor(readonly id: number) {}
}

/** Stages that only read their input documents; any other stage gets cloned inputs. */
const NON_MUTATING_STAGES = new Set([
  '$match',
  '$sort',
  '$limit',
  '$skip',
  '$count',
  '$group',
  '$sortByCount',
  '$sample',
]);

export class Engine implements StoreEngine {
  private readonly collections = new Map<string, Collection>();
  private readonly store: SqliteStore;
  private readonly commits: GroupCommit;
  private nextTxnId = 1;
  private closed = false;

  constructor(dataDir: string) {
    this.store = new SqliteStore(dataDir);
    this.commits = new GroupCommit((ops) => this.store.commit(ops));
    this.load();
  }

  private load(): void {
    for (const c of this.store.loadCollections()) {
      const specs = c.indexes.map((s) => normalizeIndexSpec(s as IndexSpec));
      this.collections.set(c.ns, new Collection(c.db, c.name, c.options, specs));
    }
    let current: Collection | undefined;
    this.store.loadDocuments((ns, doc) => {
      if (current?.ns !== ns) {
        current = this.collections.get(ns);
        if (!current) {
          const dot = ns.indexOf('.');
          current = new Collection(ns.slice(0, dot), ns.slice(dot + 1));
          this.collections.set(ns, current);
        }
      }
      current.load(doc);
    });
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private checkWritable(): void {
    if (this.closed) throw new MongoCommandError(ErrorCodes.InternalError, 'the store is closed');
    this.commits.assertHealthy();
  }

  private txnState(txn: Transaction | undefined): TxnState | undefined {
    if (!txn) return undefined;
    const t = txn as TxnState;
    if (!(t instanceof TxnState) || !t.active) {
      throw new MongoCommandError(
        ErrorCodes.NoSuchTransaction,
        `Transaction ${txn.id} has been aborted or committed`,
      );
    }
    return t;
  }

  private queue(op: DiskOp, txn: TxnState | undefined): void {
    if (txn) txn.ops.push(op);
    else this.commits.push(op);
  }

  private metaOp(c: Collection): DiskOp {
    return {
      k: 'meta',
      ns: c.ns,
      db: c.db,
      name: c.name,
      options: c.options,
      indexes: c.indexSpecs() as unknown as Document[],
    };
  }

  private get(db: string, name: string): Collection | undefined {
    return this.collections.get(`${db}.${name}`);
  }

  private getOrCreate(db: string, name: string, txn?: TxnState): { coll: Collection; created: boolean } {
    const existing = this.get(db, name);
    if (existing) return { coll: existing, created: false };
    validateName(db, name);
    const coll = new Collection(db, name);
    this.collections.set(coll.ns, coll);
    this.queue(this.metaOp(coll), txn);
    if (txn) txn.undo.push({ coll, id: '', before: undefined, created: true });
    return { coll, created: true };
  }

  private writeInsert(coll: Collection, doc: Document, txn: TxnState | undefined): void {
    const bson = toBson(doc);
    const id = coll.insert(doc);
    if (txn) txn.undo.push({ coll, id, before: undefined });
    this.queue({ k: 'put', ns: coll.ns, id, bson }, txn);
  }

  private writeReplace(
    coll: Collection,
    id: string,
    before: Document,
    after: Document,
    txn: TxnState | undefined,
  ): void {
    const bson = toBson(after);
    coll.replace(id, before, after);
    if (txn) txn.undo.push({ coll, id, before });
    this.queue({ k: 'put', ns: coll.ns, id, bson }, txn);
  }

  private writeRemove(coll: Collection, id: string, txn: TxnState | undefined): void {
    const seq = coll.seq(id);
    const before = coll.remove(id);
    if (!before) return;
    if (txn) txn.undo.push({ coll, id, before, seq });
    this.queue({ k: 'del', ns: coll.ns, id }, txn);
  }

  /** Matches in natural (or index) order; stops after `max` of them when given (an unsorted limited find). */
  private matching(coll: Collection, filter: Document | undefined, max = Infinity): [string, Document][] {
    const query = compileFilter(filter);
    const out: [string, Document][] = [];
    for (const entry of coll.candidates(filter)) {
      if (query && !query.test(entry[1])) continue;
      out.push(entry);
      if (out.length >= max) break;
    }
    return out;
  }

  /** The first match in sort order (or natural order), for single-document writes. */
  private firstMatch(
    coll: Collection,
    filter: Document | undefined,
    sort?: Document,
  ): [string, Document] | undefined {
    if (sort && Object.keys(sort).length > 0) {
      const all = this.matching(coll, filter);
      const sorted = sortDocuments(
        all.map(([, d]) => d),
        sort,
      );
      const first = sorted[0];
      return first ? [encodeKey(first._id), first] : undefined;
    }
    return this.matching(coll, filter, 1)[0];
  }

  // ---- databases and collections --------------------------------------------------------------

  listDatabases(): { name: string; sizeOnDisk: number; empty: boolean }[] {
    return listDatabases(this.collections.values());
  }

  dropDatabase(db: string): void {
    this.checkWritable();
    for (const c of [...this.collections.values()]) if (c.db === db) this.dropCollection(db, c.name);
  }

  listCollections(db: string, filter?: Document): CollectionInfo[] {
    const infos: CollectionInfo[] = [];
    for (const c of this.collections.values()) {
      if (c.db !== db) continue;
      infos.push({
        name: c.name,
        type: 'collection',
        options: c.options,
        info: { readOnly: false },
        idIndex: ID_INDEX_SPEC,
      });
    }
    const query = compileFilter(filter);
    return query ? infos.filter((i) => query.test(i as unknown as AnyObject)) : infos;
  }

  createCollection(db: string, name: string, options: Document = {}): void {
    this.checkWritable();
    if (this.get(db, name))
      throw new MongoCommandError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    validateName(db, name);
    const coll = new Collection(db, name, options);
    this.collections.set(coll.ns, coll);
    this.queue(this.metaOp(coll), undefined);
  }

  dropCollection(db: string, name: string): boolean {
    this.checkWritable();
    const c = this.get(db, name);
    if (!c) return false;
    this.collections.delete(c.ns);
    this.queue({ k: 'dropNs', ns: c.ns }, undefined);
    return true;
  }

  renameCollection(
    fromDb: string,
    fromName: string,
    toDb: string,
    toName: string,
    dropTarget: boolean,
  ): void {
    this.checkWritable();
    const c = this.get(fromDb, fromName);
    if (!c)
      throw new MongoCommandError(
        ErrorCodes.NamespaceNotFound,
        `Source collection ${fromDb}.${fromName} does not exist`,
      );
    if (this.get(toDb, toName)) {
      if (!dropTarget)
        throw new MongoCommandError(
          ErrorCodes.NamespaceExists,
          `Target collection ${toDb}.${toName} already exists`,
        );
      this.dropCollection(toDb, toName);
    }
    validateName(toDb, toName);
    const from = c.ns;
    this.collections.delete(from);
    c.db = toDb;
    c.name = toName;
    c.rebuildIndexes();
    this.collections.set(c.ns, c);
    this.queue({ k: 'renameNs', from, to: c.ns, db: toDb, name: toName }, undefined);
  }

  // ---- indexes --------------------------------------------------------------------------------

  createIndexes(
    db: string,
    coll: string,
    specs: IndexSpec[],
  ): { numIndexesBefore: number; numIndexesAfter: number; createdCollectionAutomatically: boolean } {
    this.checkWritable();
    const normalized = specs.map(normalizeIndexSpec);
    const existing = this.get(db, coll);
    const before = existing ? existing.indexes.size : 0;
    // Validate everything before creating anything, so a bad spec leaves no trace.
    const toAdd = indexesToCreate(existing ? existing.indexSpecs() : [], normalized);
    const { coll: c, created } = this.getOrCreate(db, coll);
    const added: string[] = [];
    try {
      for (const spec of toAdd) {
        c.addIndex(spec);
        added.push(spec.name);
      }
    } catch (e) {
      for (const name of added) c.dropIndex(name);
      if (created) this.queue(this.metaOp(c), undefined);
      throw e;
    }
    if (toAdd.length > 0 || created) this.queue(this.metaOp(c), undefined);
    return {
      numIndexesBefore: created ? 1 : before,
      numIndexesAfter: c.indexes.size,
      createdCollectionAutomatically: created,
    };
  }

  listIndexes(db: string, coll: string): IndexSpec[] {
    const c = this.get(db, coll);
    if (!c) throw new MongoCommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${db}.${coll}`);
    return c.indexSpecs();
  }

  dropIndexes(db: string, coll: string, index: string | string[] | Document): { nIndexesWas: number } {
    this.checkWritable();
    const c = this.get(db, coll);
    if (!c) throw new MongoCommandError(ErrorCodes.NamespaceNotFound, `ns not found ${db}.${coll}`);
    const was = c.indexes.size;
    let names: string[];
    if (index === '*') names = [...c.indexes.keys()].filter((n) => n !== '_id_');
    else if (typeof index === 'string') names = [index];
    else if (Array.isArray(index)) names = index;
    else {
      const found = [...c.indexes.values()].find((i) => encodeKey(i.spec.key) === encodeKey(index));
      if (!found)
        throw new MongoCommandError(
          ErrorCodes.IndexNotFound,
          `can't find index with key: ${JSON.stringify(index)}`,
        );
      names = [found.name];
    }
    for (const n of names) {
      if (n === '_id_') throw new MongoCommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
      if (!c.indexes.has(n))
        throw new MongoCommandError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
    }
    for (const n of names) c.dropIndex(n);
    this.queue(this.metaOp(c), undefined);
    return { nIndexesWas: was };
  }

  // ---- writes ---------------------------------------------------------------------------------

  insert(db: string, coll: string, docs: Document[], ordered: boolean, txn?: Transaction): InsertResult {
    this.checkWritable();
    const t = this.txnState(txn);
    const { coll: c } = this.getOrCreate(db, coll, t);
    const writeErrors: WriteError[] = [];
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      try {
        const doc = prepareInsert(docs[i]!);
        this.writeInsert(c, doc, t);
        n++;
      } catch (e) {
        writeErrors.push(toWriteError(e, i));
        if (ordered) break;
      }
    }
    return { n, writeErrors };
  }

  update(db: string, coll: string, updates: UpdateSpec[], ordered: boolean, txn?: Transaction): UpdateResult {
    this.checkWritable();
    const t = this.txnState(txn);
    const result: UpdateResult = { n: 0, nModified: 0, upserted: [], writeErrors: [] };
    for (let i = 0; i < updates.length; i++) {
      try {
        const r = this.updateOne(db, coll, updates[i]!, t);
        result.n += r.n;
        result.nModified += r.nModified;
        if (r.upsertedId !== undefined) result.upserted.push({ index: i, _id: r.upsertedId });
      } catch (e) {
        result.writeErrors.push(toWriteError(e, i));
        if (ordered) break;
      }
    }
    return result;
  }

  private updateOne(
    db: string,
    coll: string,
    spec: UpdateSpec,
    t: TxnState | undefined,
  ): { n: number; nModified: number; upsertedId?: unknown } {
    const existing = this.get(db, coll);
    const matches = existing
      ? spec.multi
        ? this.matching(existing, spec.q)
        : [this.firstMatch(existing, spec.q)].filter((m): m is [string, Document] => m !== undefined)
      : [];
    if (matches.length === 0) {
      if (!spec.upsert) return { n: 0, nModified: 0 };
      const doc = prepareInsert(buildUpsertDoc(spec.q, spec.u, spec.arrayFilters));
      const { coll: c } = this.getOrCreate(db, coll, t);
      this.writeInsert(c, doc, t);
      return { n: 1, nModified: 0, upsertedId: doc._id };
    }
    const c = existing!;
    // Each document's write is atomic; an error stops a multi-update at that document, as in MongoDB.
    let nModified = 0;
    for (const [id, before] of matches) {
      const after = applyUpdate(before, spec.u, spec.q, spec.arrayFilters, false);
      if (unchanged(after, before)) continue;
      validateDocument(after);
      this.writeReplace(c, id, before, after, t);
      nModified++;
    }
    return { n: matches.length, nModified };
  }

  delete(db: string, coll: string, deletes: DeleteSpec[], ordered: boolean, txn?: Transaction): DeleteResult {
    this.checkWritable();
    const t = this.txnState(txn);
    const c = this.get(db, coll);
    let n = 0;
    const writeErrors: WriteError[] = [];
    if (!c) return { n, writeErrors };
    for (let i = 0; i < deletes.length; i++) {
      try {
        const spec = deletes[i]!;
        const victims =
          spec.limit === 1
            ? [this.firstMatch(c, spec.q)].filter((m): m is [string, Document] => m !== undefined)
            : this.matching(c, spec.q);
        for (const [id] of victims) {
          this.writeRemove(c, id, t);
          n++;
        }
      } catch (e) {
        writeErrors.push(toWriteError(e, i));
        if (ordered) break;
      }
    }
    return { n, writeErrors };
  }

  findAndModify(db: string, coll: string, spec: FindAndModifySpec, txn?: Transaction): FindAndModifyResult {
    this.checkWritable();
    const t = this.txnState(txn);
    const c = this.get(db, coll);
    const query = spec.query ?? {};
    const match = c ? this.firstMatch(c, query, spec.sort) : undefined;
    const project = (d: Document | null): Document | null =>
      d && spec.fields && Object.keys(spec.fields).length > 0 ? applyProjection([d], spec.fields)[0]! : d;
    if (spec.remove) {
      if (!match || !c) return { value: null, lastErrorObject: { n: 0 } };
      this.writeRemove(c, match[0], t);
      return { value: project(match[1]), lastErrorObject: { n: 1 } };
    }
    if (!spec.update)
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        'Either an update or remove=true must be specified',
      );
    if (!match) {
      if (!spec.upsert) return { value: null, lastErrorObject: { n: 0, updatedExisting: false } };
      const doc = prepareInsert(buildUpsertDoc(query, spec.update, spec.arrayFilters));
      const { coll: target } = this.getOrCreate(db, coll, t);
      this.writeInsert(target, doc, t);
      return {
        value: spec.new ? project(doc) : null,
        lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      };
    }
    const [id, before] = match;
    const after = applyUpdate(before, spec.update, query, spec.arrayFilters, false);
    if (!unchanged(after, before)) {
      validateDocument(after);
      this.writeReplace(c!, id, before, after, t);
    }
    return { value: project(spec.new ? after : before), lastErrorObject: { n: 1, updatedExisting: true } };
  }

  // ---- reads ----------------------------------------------------------------------------------

  find(db: string, coll: string, options: FindOptions): Document[] {
    const c = this.get(db, coll);
    if (!c) return [];
    if (options.hint !== undefined) checkHint(c, options.hint);
    const sort = options.sort ?? {};
    const skip = options.skip ?? 0;
    const limit = options.limit ? Math.abs(options.limit) : 0;
    const walked = limit > 0 ? this.walkSortIndex(c, options.filter, sort, skip + limit) : undefined;
    if (walked) {
      const page = walked.slice(skip);
      return options.projection && Object.keys(options.projection).length > 0
        ? applyProjection(page, options.projection, options.filter)
        : page;
    }
    const unsorted = Object.keys(sort).length === 0;
    let docs = this.matching(c, options.filter, unsorted && limit > 0 ? skip + limit : Infinity).map(
      ([, d]) => d,
    );
    if (Object.keys(sort).length === 1 && '$natural' in sort) {
      if (Number(sort.$natural) < 0) docs.reverse();
    } else if (Object.keys(sort).length > 0) docs = sortDocuments(docs, sort);
    if (skip > 0 || limit > 0) docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
    if (options.projection && Object.keys(options.projection).length > 0) {
      docs = applyProjection(docs, options.projection, options.filter);
    }
    return docs;
  }

  /**
   * A sorted, limited find on an indexed field walks that index in order and stops after `wanted`
   * matches, instead of sorting every match; used only when the filter itself has no index to use.
   * Index order is MongoDB's sort order: the first time a multikey document appears ascending is at
   * its smallest element, descending at its largest.
   */
  private walkSortIndex(
    c: Collection,
    filter: Document | undefined,
    sort: Document,
    wanted: number,
  ): Document[] | undefined {
    const fields = Object.keys(sort);
    if (fields.length !== 1 || fields[0] === '$natural') return undefined;
    const index = [...c.indexes.values()].find((i) => i.complete && i.fields[0] === fields[0]);
    // Empty arrays sort before null but are indexed among arrays, so such an index cannot give the order.
    if (!index || index.tree.has([[]]) || c.plan(filter).kind !== 'scan') return undefined;
    const query = compileFilter(filter);
    const seen = new Set<string>();
    const out: Document[] = [];
    for (const id of index.idsInOrder(Number(sort[fields[0]!]))) {
      if (seen.has(id)) continue;
      seen.add(id);
      const doc = c.docs.get(id)!;
      if (query && !query.test(doc)) continue;
      out.push(doc);
      if (out.length >= wanted) break;
    }
    return out;
  }

  count(db: string, coll: string, query?: Document, skip = 0, limit = 0): number {
    const c = this.get(db, coll);
    if (!c) return 0;
    const n = query && Object.keys(query).length > 0 ? this.matching(c, query).length : c.docs.size;
    const afterSkip = Math.max(0, n - skip);
    return limit > 0 ? Math.min(afterSkip, Math.abs(limit)) : afterSkip;
  }

  distinct(db: string, coll: string, key: string, query?: Document): unknown[] {
    const c = this.get(db, coll);
    if (!c) return [];
    const seen = new Map<string, unknown>();
    for (const [, doc] of this.matching(c, query)) {
      for (const v of pathValues(doc, key)) {
        for (const x of Array.isArray(v) ? (v as unknown[]) : [v]) {
          const k = encodeKey(x);
          if (!seen.has(k)) seen.set(k, x);
        }
      }
    }
    return [...seen.values()];
  }

  aggregate(db: string, coll: string, pipeline: Document[], txn?: Transaction): Document[] {
    if (txn) this.txnState(txn);
    for (const stage of pipeline) {
      const op = Object.keys(stage)[0];
      if (op === '$out' || op === '$merge') {
        throw new MongoCommandError(
          ErrorCodes.IllegalOperation,
          `${op} is not supported by the embedded store`,
        );
      }
    }
    const mutating = pipeline.some((s) => !NON_MUTATING_STAGES.has(Object.keys(s)[0] ?? ''));
    const c = this.get(db, coll);
    const first = pipeline[0];
    let input: Document[] = [];
    if (c) {
      // A leading $match picks its candidates through an index; mingo still applies it in full.
      const filter = first && '$match' in first ? (first.$match as Document) : undefined;
      input = filter ? [...c.candidates(filter)].map(([, d]) => d) : [...c.docs.values()];
    }
    if (mutating) input = input.map((d) => cloneDoc(d));
    const resolver = (name: string): AnyObject[] => {
      const other = this.get(db, name);
      if (!other) return [];
      const docs = [...other.docs.values()];
      return mutating ? docs.map((d) => cloneDoc(d)) : docs;
    };
    try {
      return makeAggregator(pipeline, { collectionResolver: resolver }).run<Document>(input as AnyObject[]);
    } catch (e) {
      const error = asMongoError(e);
      // Anything thrown while running the client's pipeline is about that pipeline, not the store.
      if (error.code === ErrorCodes.InternalError)
        throw new MongoCommandError(ErrorCodes.BadValue, error.message);
      throw error;
    }
  }

  dbStats(db: string): Document {
    return dbStats(
      db,
      [...this.collections.values()].filter((c) => c.db === db),
    );
  }

  collStats(db: string, coll: string): Document {
    const c = this.get(db, coll);
    if (!c)
      throw new MongoCommandError(ErrorCodes.NamespaceNotFound, `Collection [${db}.${coll}] not found.`);
    return collStats(c);
  }

  /** How a filter would be answered: the index chosen (null for a scan) and documents examined. */
  explain(
    db: string,
    coll: string,
    filter: Document,
    limit = 0,
  ): { index: string | null; docsExamined: number; nReturned: number } {
    const c = this.get(db, coll);
    if (!c) return { index: null, docsExamined: 0, nReturned: 0 };
    const n = this.matching(c, filter, limit > 0 ? limit : Infinity).length;
    return { index: c.lastPlanIndex, docsExamined: c.lastExamined, nReturned: n };
  }

  // ---- transactions and durability -------------------------------------------------------------

  beginTransaction(): Transaction {
    this.checkWritable();
    return new TxnState(this.nextTxnId++);
  }

  async commitTransaction(txn: Transaction): Promise<void> {
    const t = this.txnState(txn);
    if (!t) return;
    t.active = false;
    this.commits.pushAll(t.ops);
    await this.commits.whenDurable();
  }

  abortTransaction(txn: Transaction): void {
    const t = this.txnState(txn);
    if (!t) return;
    t.active = false;
    const reorder = new Set<Collection>();
    for (let i = t.undo.length - 1; i >= 0; i--) {
      const u = t.undo[i]!;
      if (u.created) this.collections.delete(u.coll.ns);
      else if (u.coll.restore(u.id, u.before, u.seq)) reorder.add(u.coll);
    }
    for (const c of reorder) c.restoreOrder();
  }

  whenDurable(): Promise<void> {
    return this.commits.whenDurable();
  }

  expireTtl(now: Date = new Date()): number {
    if (this.closed) return 0;
    let removed = 0;
    for (const c of [...this.collections.values()]) {
      for (const index of [...c.indexes.values()]) {
        const secs = index.spec.expireAfterSeconds;
        if (secs === undefined || index.fields.length !== 1) continue;
        const cutoff = new Date(now.getTime() - secs * 1000);
        // matching() returns a finished array, so removing while walking it is safe.
        for (const [id] of this.matching(c, { [index.fields[0]!]: { $lte: cutoff } })) {
          this.writeRemove(c, id, undefined);
          removed++;
        }
      }
    }
    return removed;
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

/** The planner picks indexes itself; a hint is only checked to name an existing index, as MongoDB does. */
function checkHint(c: Collection, hint: Document | string): void {
  if (typeof hint === 'string' ? c.indexes.has(hint) : Object.keys(hint).length === 0 || '$natural' in hint)
    return;
  if (
    typeof hint !== 'string' &&
    [...c.indexes.values()].some((i) => encodeKey(i.spec.key) === encodeKey(hint))
  )
    return;
  throw new MongoCommandError(
    ErrorCodes.BadValue,
    'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
  );
}

export function openEngine(options: { dataDir: string }): Engine {
  return new Engine(options.dataDir);
}
