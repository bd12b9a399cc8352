import type { Document } from 'bson';
import { encodeKey } from './bson-values.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { toBson } from './document-checks.js';
import { writeConflict, type Transactions, type TxnState } from './transactions.js';
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

  insert(coll: Collection, doc: Document): void {
    const id = encodeKey(doc._id);
    if (new TxnView(this.txns, this.txn, coll).get(id)) {
      throw coll.indexes.get('_id_')!.duplicateError([doc._id]);
    }
    // Inserted by someone else after this transaction's snapshot: MongoDB reports a write conflict.
    if (coll.docs.has(id) && !this.txn.writes.get(coll)?.has(id)) {
      throw writeConflict(
        'Write conflict: a document with this _id was inserted after the transaction started',
      );
    }
    this.put(coll, id, doc);
  }

  replace(coll: Collection, id: string, _before: Document, after: Document): void {
    this.put(coll, id, after);
  }

  remove(coll: Collection, id: string): void {
    this.txns.claim(this.txn, coll, id);
    this.txn.own(coll).set(id, undefined);
  }

  private put(coll: Collection, id: string, doc: Document): void {
    toBson(doc);
    this.checkUnique(coll, id, doc);
    this.txns.claim(this.txn, coll, id);
    this.txn.own(coll).set(id, doc);
  }

  /** Unique indexes as the transaction sees them: committed keys, less what it changed, plus its own. */
  private checkUnique(coll: Collection, id: string, doc: Document): void {
    const own = this.txn.writes.get(coll);
    for (const index of coll.indexes.values()) {
      if (!index.unique || index.isIdIndex) continue;
      for (const key of index.keysOf(doc)) {
        const encoded = encodeKey(key);
        for (const holder of index.tree.get(key) ?? []) {
          if (holder !== id && !own?.has(holder)) throw index.duplicateError(key);
        }
        for (const [other, version] of own ?? []) {
          if (other === id || !version) continue;
          if (index.keysOf(version).some((k) => encodeKey(k) === encoded)) throw index.duplicateError(key);
        }
      }
    }
  }
}
