import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { encodeKey } from './bson-values.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { CommittedWriter, TxnWriter, type DocWriter } from './doc-writers.js';
import { prepareInsert, toWriteError, unchanged, validateDocument } from './document-checks.js';
import type {
  DeleteResult,
  DeleteSpec,
  FindAndModifyResult,
  FindAndModifySpec,
  InsertResult,
  UpdateResult,
  UpdateSpec,
  WriteError,
  WriteTargets,
} from './engine-api.js';
import { applyProjection } from './projection.js';
import { firstMatch, matching } from './reads.js';
import type { Transactions, TxnState } from './transactions.js';
import { TxnView, type DocSource } from './txn-view.js';
import { applyUpdate, buildUpsertDoc } from './update-apply.js';

/** A write conflict fails the whole command (so drivers can retry the transaction), not one document. */
function perDocumentError(e: unknown, index: number): WriteError {
  if (e instanceof MongoCommandError && e.code === ErrorCodes.WriteConflict) throw e;
  return toWriteError(e, index);
}

/**
 * insert, update, delete and findAndModify. Each document's change is atomic; outside a transaction it
 * is committed at once, inside one it goes to the transaction's overlay. A batch reports per-document
 * failures in writeErrors and, when ordered, stops at the first.
 */
export class Writes {
  private readonly committed: CommittedWriter;

  constructor(
    private readonly catalog: Catalog,
    private readonly txns: Transactions,
  ) {
    this.committed = new CommittedWriter(catalog, txns);
  }

  private source(coll: Collection, txn: TxnState | undefined): DocSource {
    return txn ? new TxnView(this.txns, txn, coll) : coll;
  }

  private writer(txn: TxnState | undefined): DocWriter {
    return txn ? new TxnWriter(this.txns, txn) : this.committed;
  }

  private upsert(db: string, coll: string, filter: Document, spec: UpdateSpec, txn?: TxnState): Document {
    const doc = prepareInsert(buildUpsertDoc(filter, spec.u, spec.arrayFilters));
    const { coll: c } = this.catalog.getOrCreate(db, coll, txn);
    this.writer(txn).insert(c, doc);
    return doc;
  }

  insert(db: string, coll: string, docs: Document[], ordered: boolean, txn?: TxnState): InsertResult {
    const { coll: c } = this.catalog.getOrCreate(db, coll, txn);
    const writer = this.writer(txn);
    const writeErrors: WriteError[] = [];
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      try {
        writer.insert(c, prepareInsert(docs[i]!));
        n++;
      } catch (e) {
        writeErrors.push(perDocumentError(e, i));
        if (ordered) break;
      }
    }
    return { n, writeErrors };
  }

  update(db: string, coll: string, updates: UpdateSpec[], ordered: boolean, txn?: TxnState): UpdateResult {
    const result: UpdateResult = { n: 0, nModified: 0, upserted: [], writeErrors: [] };
    for (let i = 0; i < updates.length; i++) {
      try {
        const r = this.updateOne(db, coll, updates[i]!, txn);
        result.n += r.n;
        result.nModified += r.nModified;
        if (r.upsertedId !== undefined) result.upserted.push({ index: i, _id: r.upsertedId });
      } catch (e) {
        result.writeErrors.push(perDocumentError(e, i));
        if (ordered) break;
      }
    }
    return result;
  }

  private updateOne(
    db: string,
    coll: string,
    spec: UpdateSpec,
    txn: TxnState | undefined,
  ): { n: number; nModified: number; upsertedId?: unknown } {
    const c = this.catalog.get(db, coll);
    const source = c && this.source(c, txn);
    const first = source && !spec.multi ? firstMatch(source, spec.q) : undefined;
    const matches = source ? (spec.multi ? matching(source, spec.q) : first ? [first] : []) : [];
    if (matches.length === 0) {
      if (!spec.upsert) return { n: 0, nModified: 0 };
      return { n: 1, nModified: 0, upsertedId: this.upsert(db, coll, spec.q, spec, txn)._id };
    }
    // Each document's write is atomic; an error stops a multi-update at that document, as in MongoDB.
    const writer = this.writer(txn);
    let nModified = 0;
    for (const [id, before] of matches) {
      const after = applyUpdate(before, spec.u, spec.q, spec.arrayFilters, false);
      if (unchanged(after, before)) continue;
      validateDocument(after);
      writer.replace(c!, id, before, after);
      nModified++;
    }
    return { n: matches.length, nModified };
  }

  delete(db: string, coll: string, deletes: DeleteSpec[], ordered: boolean, txn?: TxnState): DeleteResult {
    const c = this.catalog.get(db, coll);
    let n = 0;
    const writeErrors: WriteError[] = [];
    if (!c) return { n, writeErrors };
    const writer = this.writer(txn);
    for (let i = 0; i < deletes.length; i++) {
      try {
        const spec = deletes[i]!;
        const source = this.source(c, txn);
        const first = spec.limit === 1 ? firstMatch(source, spec.q) : undefined;
        const victims = spec.limit === 1 ? (first ? [first] : []) : matching(source, spec.q);
        for (const [id] of victims) {
          writer.remove(c, id);
          n++;
        }
      } catch (e) {
        writeErrors.push(perDocumentError(e, i));
        if (ordered) break;
      }
    }
    return { n, writeErrors };
  }

  findAndModify(db: string, coll: string, spec: FindAndModifySpec, txn?: TxnState): FindAndModifyResult {
    const c = this.catalog.get(db, coll);
    const query = spec.query ?? {};
    const match = c ? firstMatch(this.source(c, txn), query, spec.sort) : undefined;
    const fields = spec.fields && Object.keys(spec.fields).length > 0 ? spec.fields : undefined;
    const project = (d: Document | null): Document | null =>
      d && fields ? applyProjection([d], fields)[0]! : d;
    if (spec.remove) {
      if (!match || !c) return { value: null, lastErrorObject: { n: 0 } };
      this.writer(txn).remove(c, match[0]);
      return { value: project(match[1]), lastErrorObject: { n: 1 } };
    }
    const update = spec.update;
    if (!update) {
      const message = 'Either an update or remove=true must be specified';
      throw new MongoCommandError(ErrorCodes.FailedToParse, message);
    }
    if (!match) {
      if (!spec.upsert) return { value: null, lastErrorObject: { n: 0, updatedExisting: false } };
      const doc = this.upsert(db, coll, query, { q: query, u: update, arrayFilters: spec.arrayFilters }, txn);
      const lastErrorObject = { n: 1, updatedExisting: false, upserted: doc._id as unknown };
      return { value: spec.new ? project(doc) : null, lastErrorObject };
    }
    const [id, before] = match;
    const after = applyUpdate(before, update, query, spec.arrayFilters, false);
    if (!unchanged(after, before)) {
      validateDocument(after);
      this.writer(txn).replace(c!, id, before, after);
    }
    return { value: project(spec.new ? after : before), lastErrorObject: { n: 1, updatedExisting: true } };
  }

  /**
   * Outside a transaction a write waits for the running transactions holding documents it would
   * change, as MongoDB's does: this returns the end of one such transaction to wait for, or nothing
   * when the write may go ahead. Checked before anything is applied, so the write then runs whole.
   */
  blockedBy(db: string, coll: string, targets: WriteTargets): Promise<void> | undefined {
    const c = this.catalog.get(db, coll);
    if (!c || !this.txns.hasLocks(c)) return undefined;
    const holder = (id: string) => this.txns.lockOwner(c, id)?.ended;
    for (const doc of targets.inserts ?? []) {
      const waiting = doc && doc._id !== undefined ? holder(encodeKey(doc._id)) : undefined;
      if (waiting) return waiting;
    }
    for (const { q, upsert } of targets.filters ?? []) {
      for (const [id] of matching(c, q)) {
        const waiting = holder(id);
        if (waiting) return waiting;
      }
      const seeded: unknown = upsert ? q._id : undefined;
      const waiting = seeded !== undefined ? holder(encodeKey(seeded)) : undefined;
      if (waiting) return waiting;
    }
    return undefined;
  }

  /** Deletes the documents TTL indexes say have expired; returns how many. */
  expireTtl(now: Date): number {
    let removed = 0;
    for (const c of this.catalog.all()) {
      for (const index of [...c.indexes.values()]) {
        const secs = index.spec.expireAfterSeconds;
        if (secs === undefined || index.fields.length !== 1) continue;
        const cutoff = new Date(now.getTime() - secs * 1000);
        // matching() returns a finished array, so removing while walking it is safe.
        for (const [id] of matching(c, { [index.fields[0]!]: { $lte: cutoff } })) {
          // A document a running transaction holds is left for the next pass.
          if (this.txns.lockOwner(c, id)) continue;
          this.committed.remove(c, id);
          removed++;
        }
      }
    }
    return removed;
  }
}
