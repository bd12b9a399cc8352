import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { CommittedWriter, TxnWriter, type DocWriter } from './doc-writers.js';
import { exactlyEqual } from '../bson/exactly-equal.js';
import { prepareInsert, toWriteError, validateDocument } from './document-checks.js';
import type {
  DeleteResult,
  DeleteSpec,
  FindAndModifyResult,
  FindAndModifySpec,
  InsertResult,
  UpdateResult,
  UpdateSpec,
  WriteError,
} from './engine-api.js';
import { applyProjection } from './projection.js';
import { firstMatch, matching, refuseBadFilter } from './reads.js';
import type { Transactions } from './transactions.js';
import { expireTtl } from './ttl-expiry.js';
import type { TxnState } from './txn-state.js';
import { TxnView, type DocSource } from './txn-view.js';
import { checkArrayFilters } from './array-filters.js';
import { applyUpdate } from './update-apply.js';
import { buildUpsertDoc } from './upsert-seed.js';

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

  /** Deletes the documents TTL indexes say have expired; returns how many. */
  expireTtl(now: Date): number {
    return expireTtl(this.catalog, this.txns.locks, this.committed, now);
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
    checkArrayFilters(spec.u, spec.arrayFilters);
    const c = this.catalog.get(db, coll);
    if (!c) refuseBadFilter(spec.q, undefined);
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
      if (exactlyEqual(after, before)) continue;
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
    const writer = this.writer(txn);
    for (let i = 0; i < deletes.length; i++) {
      try {
        const spec = deletes[i]!;
        if (!c) {
          refuseBadFilter(spec.q, undefined);
          continue;
        }
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
    if (!c) refuseBadFilter(query, undefined);
    if (spec.update) checkArrayFilters(spec.update, spec.arrayFilters);
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
    if (!exactlyEqual(after, before)) {
      validateDocument(after);
      this.writer(txn).replace(c!, id, before, after);
    }
    return { value: project(spec.new ? after : before), lastErrorObject: { n: 1, updatedExisting: true } };
  }
}
