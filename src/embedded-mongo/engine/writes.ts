import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { prepareInsert, toBson, toWriteError, unchanged, validateDocument } from './document-checks.js';
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
import { firstMatch, matching } from './reads.js';
import type { TxnState } from './transactions.js';
import { applyUpdate, buildUpsertDoc } from './update-apply.js';

/**
 * insert, update, delete and findAndModify. Each document's change is atomic and goes to memory, the
 * transaction's undo log (inside one) and the disk queue together; a batch reports per-document
 * failures in writeErrors and, when ordered, stops at the first.
 */
export class Writes {
  constructor(private readonly catalog: Catalog) {}

  private writeInsert(coll: Collection, doc: Document, txn: TxnState | undefined): void {
    const bson = toBson(doc);
    const id = coll.insert(doc);
    txn?.undo.push({ coll, id, before: undefined });
    this.catalog.queue({ k: 'put', ns: coll.ns, id, bson }, txn);
  }

  private writeReplace(
    coll: Collection,
    id: string,
    before: Document,
    after: Document,
    txn?: TxnState,
  ): void {
    const bson = toBson(after);
    coll.replace(id, before, after);
    txn?.undo.push({ coll, id, before });
    this.catalog.queue({ k: 'put', ns: coll.ns, id, bson }, txn);
  }

  private writeRemove(coll: Collection, id: string, txn: TxnState | undefined): void {
    const seq = coll.seq(id);
    const before = coll.remove(id);
    if (!before) return;
    txn?.undo.push({ coll, id, before, seq });
    this.catalog.queue({ k: 'del', ns: coll.ns, id }, txn);
  }

  private upsert(db: string, coll: string, filter: Document, spec: UpdateSpec, txn?: TxnState): Document {
    const doc = prepareInsert(buildUpsertDoc(filter, spec.u, spec.arrayFilters));
    const { coll: c } = this.catalog.getOrCreate(db, coll, txn);
    this.writeInsert(c, doc, txn);
    return doc;
  }

  insert(db: string, coll: string, docs: Document[], ordered: boolean, txn?: TxnState): InsertResult {
    const { coll: c } = this.catalog.getOrCreate(db, coll, txn);
    const writeErrors: WriteError[] = [];
    let n = 0;
    for (let i = 0; i < docs.length; i++) {
      try {
        this.writeInsert(c, prepareInsert(docs[i]!), txn);
        n++;
      } catch (e) {
        writeErrors.push(toWriteError(e, i));
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
    txn: TxnState | undefined,
  ): { n: number; nModified: number; upsertedId?: unknown } {
    const c = this.catalog.get(db, coll);
    const first = c && !spec.multi ? firstMatch(c, spec.q) : undefined;
    const matches = c ? (spec.multi ? matching(c, spec.q) : first ? [first] : []) : [];
    if (matches.length === 0) {
      if (!spec.upsert) return { n: 0, nModified: 0 };
      return { n: 1, nModified: 0, upsertedId: this.upsert(db, coll, spec.q, spec, txn)._id };
    }
    // Each document's write is atomic; an error stops a multi-update at that document, as in MongoDB.
    let nModified = 0;
    for (const [id, before] of matches) {
      const after = applyUpdate(before, spec.u, spec.q, spec.arrayFilters, false);
      if (unchanged(after, before)) continue;
      validateDocument(after);
      this.writeReplace(c!, id, before, after, txn);
      nModified++;
    }
    return { n: matches.length, nModified };
  }

  delete(db: string, coll: string, deletes: DeleteSpec[], ordered: boolean, txn?: TxnState): DeleteResult {
    const c = this.catalog.get(db, coll);
    let n = 0;
    const writeErrors: WriteError[] = [];
    if (!c) return { n, writeErrors };
    for (let i = 0; i < deletes.length; i++) {
      try {
        const spec = deletes[i]!;
        const first = spec.limit === 1 ? firstMatch(c, spec.q) : undefined;
        const victims = spec.limit === 1 ? (first ? [first] : []) : matching(c, spec.q);
        for (const [id] of victims) {
          this.writeRemove(c, id, txn);
          n++;
        }
      } catch (e) {
        writeErrors.push(toWriteError(e, i));
        if (ordered) break;
      }
    }
    return { n, writeErrors };
  }

  findAndModify(db: string, coll: string, spec: FindAndModifySpec, txn?: TxnState): FindAndModifyResult {
    const c = this.catalog.get(db, coll);
    const query = spec.query ?? {};
    const match = c ? firstMatch(c, query, spec.sort) : undefined;
    const fields = spec.fields && Object.keys(spec.fields).length > 0 ? spec.fields : undefined;
    const project = (d: Document | null): Document | null =>
      d && fields ? applyProjection([d], fields)[0]! : d;
    if (spec.remove) {
      if (!match || !c) return { value: null, lastErrorObject: { n: 0 } };
      this.writeRemove(c, match[0], txn);
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
      this.writeReplace(c!, id, before, after, txn);
    }
    return { value: project(spec.new ? after : before), lastErrorObject: { n: 1, updatedExisting: true } };
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
          this.writeRemove(c, id, undefined);
          removed++;
        }
      }
    }
    return removed;
  }
}
