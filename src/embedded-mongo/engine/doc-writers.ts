import type { Document } from 'bson';
import { encodeKey } from '../bson/value-keys.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { toBson } from './document-checks.js';
import type { Transactions } from './transactions.js';
import { writeConflict, type TxnState } from './txn-state.js';
import { TxnView } from './txn-view.js';

/**
 * The two ways a document changes: committed at once (memory, then the disk queue), or into a
 * transaction's overlay, where it stays until commit. Both serialize first, so a document that cannot
 * be stored is refused on its own.
 */
export interface DocWriter {
  insert(coll: Collection, doc: Document): void;
  replace(coll: Collection, id: string, before: Document, after: Document): void;
  remove(coll: Collection, id: string): void;
}

export class CommittedWriter implements DocWriter {
  constructor(
    private readonly catalog: Catalog,
    private readonly txns: Transactions,
  ) {}

  insert(coll: Collection, doc: Document): void {
    const bson = toBson(doc);
    const id = coll.insert(doc);
    this.txns.noteCommitted(coll, id, undefined);
    this.catalog.queue({ k: 'put', ns: coll.ns, id, bson }, undefined);
  }

  replace(coll: Collection, id: string, before: Document, after: Document): void {
    const bson = toBson(after);
    coll.replace(id, before, after);
    this.txns.noteCommitted(coll, id, before);
    this.catalog.queue({ k: 'put', ns: coll.ns, id, bson }, undefined);
  }

  remove(coll: Collection, id: string): void {
    const before = coll.remove(id);
    if (!before) return;
    this.txns.noteCommitted(coll, id, before);
    this.catalog.queue({ k: 'del', ns: coll.ns, id }, undefined);
  }
}

export class TxnWriter implements DocWriter {
  constructor(
    private readonly txns: Transactions,
    private readonly txn: TxnState,
  ) {}

  private view(coll: Collection): TxnView {
    return new TxnView(this.txns, this.txn, coll);
  }

  insert(coll: Collection, doc: Document): void {
    const id = encodeKey(doc._id);
    if (this.view(coll).get(id)) throw coll.indexes.get('_id_')!.duplicateError([doc._id]);
    // Inserted by someone else after this transaction's snapshot: MongoDB reports a write conflict.
    if (coll.docs.has(id) && !this.txn.writes.get(coll)?.has(id)) {
      throw writeConflict(
        'Write conflict: a document with this _id was inserted after the transaction started',
      );
    }
    this.put(coll, id, undefined, doc);
  }

  replace(coll: Collection, id: string, before: Document, after: Document): void {
    this.put(coll, id, before, after);
  }

  remove(coll: Collection, id: string): void {
    const before = this.view(coll).get(id);
    this.txns.checkWritable(this.txn, coll, id, [before]);
    this.txns.locks.claim(this.txn, coll, id, [before]);
    this.txn.own(coll).set(id, undefined);
  }

  private put(coll: Collection, id: string, before: Document | undefined, doc: Document): void {
    toBson(doc);
    this.txns.checkWritable(this.txn, coll, id, [before, doc]);
    this.checkUnique(coll, id, doc);
    this.txns.locks.claim(this.txn, coll, id, [before, doc]);
    this.txn.own(coll).set(id, doc);
  }

  /**
   * Unique indexes as the transaction sees them: committed keys, less what it changed, plus its own. A
   * key committed by someone else after its snapshot is a write conflict, as in MongoDB, not a duplicate
   * the transaction could not have seen.
   */
  private checkUnique(coll: Collection, id: string, doc: Document): void {
    const own = this.txn.writes.get(coll);
    const view = this.view(coll);
    for (const index of coll.indexes.values()) {
      if (!index.unique || index.isIdIndex) continue;
      for (const key of index.keysOf(doc)) {
        const encoded = encodeKey(key);
        const hasKey = (version: Document | undefined): boolean =>
          version !== undefined && index.keysOf(version).some((k) => encodeKey(k) === encoded);
        for (const holder of index.tree.get(key) ?? []) {
          if (holder === id || own?.has(holder)) continue;
          if (!hasKey(view.versionOf(holder, coll.docs.get(holder)))) {
            throw writeConflict(
              'Write conflict: this unique key was committed after the transaction started',
            );
          }
          throw index.duplicateError(key);
        }
        // Every key of the transaction's own writes is held in its locks: only a held key needs the
        // search through them, which would otherwise make a transaction of n inserts cost n².
        if (!own || !this.txns.locks.holdsKey(this.txn, coll, index, encoded)) continue;
        for (const [other, version] of own) {
          if (other !== id && hasKey(version)) throw index.duplicateError(key);
        }
      }
    }
  }
}
