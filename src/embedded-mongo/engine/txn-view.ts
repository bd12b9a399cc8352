import type { Document } from 'bson';
import type { Collection } from './collection.js';
import type { Transactions } from './transactions.js';
import type { TxnState } from './txn-state.js';

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
    return this.versionOf(id, this.coll.docs.get(id));
  }

  /** The committed version the snapshot sees, given the current one. */
  versionOf(id: string, current: Document | undefined): Document | undefined {
    return this.txns.history.versionAt(this.txn.snapshot, this.coll, id, current);
  }

  *candidates(filter: Document | undefined): Generator<[string, Document]> {
    const own = this.txn.writes.get(this.coll);
    const seen = new Set<string>();
    for (const [id, doc] of this.coll.candidates(filter)) {
      seen.add(id);
      const version = own?.has(id) ? own.get(id) : this.versionOf(id, doc);
      if (version) yield [id, version];
    }
    for (const id of this.txns.history.changedSince(this.txn.snapshot, this.coll)) {
      if (seen.has(id) || own?.has(id)) continue;
      seen.add(id);
      const version = this.versionOf(id, this.coll.docs.get(id));
      if (version) yield [id, version];
    }
    if (own) for (const [id, version] of own) if (!seen.has(id) && version) yield [id, version];
  }
}

/** Where reads find documents: a collection's committed state, or a transaction's view of it. */
export type DocSource = Collection | TxnView;
