import type { Document } from 'bson';
import type { Collection } from './collection.js';
import type { Transactions, TxnState } from './transactions.js';

/**
 * A collection as a transaction sees it: the committed documents as of its snapshot, with its own
 * writes on top. Candidates come from the collection's indexes (current state) plus every document
 * changed since the snapshot and every document the transaction wrote, so the caller's filter, applied
 * to the versions yielded here, finds exactly the snapshot's matches.
 */
export class TxnView {
  constructor(
    private readonly txns: Transactions,
    readonly txn: TxnState,
    readonly coll: Collection,
  ) {}

  get(id: string): Document | undefined {
    const own = this.txn.writes.get(this.coll);
    if (own?.has(id)) return own.get(id);
    return this.txns.snapshotVersion(this.txn, this.coll, id, this.coll.docs.get(id));
  }

  *candidates(filter: Document | undefined): Generator<[string, Document]> {
    const own = this.txn.writes.get(this.coll);
    const seen = new Set<string>();
    for (const [id, doc] of this.coll.candidates(filter)) {
      seen.add(id);
      const version = own?.has(id) ? own.get(id) : this.txns.snapshotVersion(this.txn, this.coll, id, doc);
      if (version) yield [id, version];
    }
    for (const id of this.txns.changedSince(this.txn, this.coll)) {
      if (seen.has(id) || own?.has(id)) continue;
      seen.add(id);
      const version = this.txns.snapshotVersion(this.txn, this.coll, id, this.coll.docs.get(id));
      if (version) yield [id, version];
    }
    if (own) for (const [id, version] of own) if (!seen.has(id) && version) yield [id, version];
  }
}

/** Where reads find documents: a collection's committed state, or a transaction's view of it. */
export type DocSource = Collection | TxnView;
