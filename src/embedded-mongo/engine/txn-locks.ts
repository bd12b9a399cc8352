import type { Document } from 'bson';
import { encodeKey } from '../bson/value-keys.js';
import type { Collection } from './collection.js';
import type { CollectionIndex } from './collection-index.js';
import { writeConflict, type TxnState } from './txn-state.js';

/**
 * What running transactions hold until they end: the documents they wrote, and the unique-index keys
 * of those documents, old and new (in MongoDB the transaction has written those index entries, not
 * yet committed). Another transaction reaching either gets WriteConflict; a write outside any
 * transaction waits for the holder to end.
 */
export class TxnLocks {
  private readonly docs = new Map<Collection, Map<string, TxnState>>();
  private readonly keys = new Map<Collection, Map<string, TxnState>>();
  /** Every lock each transaction took, so its end releases them without a search. */
  private readonly taken = new Map<
    TxnState,
    [Map<Collection, Map<string, TxnState>>, Collection, string][]
  >();

  docOwner(coll: Collection, id: string): TxnState | undefined {
    return this.docs.get(coll)?.get(id);
  }

  /** True when some running transaction holds a document or a key of this collection. */
  hasLocks(coll: Collection): boolean {
    return (this.docs.get(coll)?.size ?? 0) > 0 || (this.keys.get(coll)?.size ?? 0) > 0;
  }

  /** The transaction holding one of the unique keys this version of a document has, if any. */
  keyOwner(coll: Collection, doc: Document): TxnState | undefined {
    const held = this.keys.get(coll);
    if (!held) return undefined;
    for (const lock of uniqueKeysOf(coll, doc)) {
      const owner = held.get(lock);
      if (owner) return owner;
    }
    return undefined;
  }

  /**
   * True when this transaction holds this key of a unique index: one of its own writes has (or had) it.
   * When it does not, none of its writes need be searched for the key.
   */
  holdsKey(txn: TxnState, coll: Collection, index: CollectionIndex, encodedKey: string): boolean {
    return this.keys.get(coll)?.get(`${index.name}\0${encodedKey}`) === txn;
  }

  /** Fails with WriteConflict when another transaction holds the document or a unique key of its versions. */
  checkFree(txn: TxnState, coll: Collection, id: string, versions: (Document | undefined)[]): void {
    const docOwner = this.docOwner(coll, id);
    if (docOwner && docOwner !== txn)
      throw writeConflict('Write conflict: another transaction is writing this document');
    const held = this.keys.get(coll);
    if (!held) return;
    for (const lock of versions.flatMap((v) => (v ? uniqueKeysOf(coll, v) : []))) {
      const owner = held.get(lock);
      if (owner && owner !== txn)
        throw writeConflict('Write conflict: another transaction is writing this unique key');
    }
  }

  /** Takes the document and the unique keys of its versions for the transaction (checkFree first). */
  claim(txn: TxnState, coll: Collection, id: string, versions: (Document | undefined)[]): void {
    this.take(txn, this.docs, coll, id);
    for (const version of versions) {
      if (version) for (const lock of uniqueKeysOf(coll, version)) this.take(txn, this.keys, coll, lock);
    }
  }

  private take(
    txn: TxnState,
    table: Map<Collection, Map<string, TxnState>>,
    coll: Collection,
    lock: string,
  ): void {
    let held = table.get(coll);
    if (!held) {
      held = new Map();
      table.set(coll, held);
    }
    if (held.get(lock) === txn) return;
    held.set(lock, txn);
    const list = this.taken.get(txn);
    if (list) list.push([table, coll, lock]);
    else this.taken.set(txn, [[table, coll, lock]]);
  }

  release(txn: TxnState): void {
    for (const [table, coll, lock] of this.taken.get(txn) ?? []) {
      const held = table.get(coll);
      if (held?.get(lock) === txn) held.delete(lock);
      if (held?.size === 0) table.delete(coll);
    }
    this.taken.delete(txn);
  }
}

function uniqueIndexes(coll: Collection): CollectionIndex[] {
  return [...coll.indexes.values()].filter((i) => i.unique && !i.isIdIndex);
}

/** A document's keys in the collection's unique secondary indexes, as lock names. */
function uniqueKeysOf(coll: Collection, doc: Document): string[] {
  return uniqueIndexes(coll).flatMap((index) =>
    index.keysOf(doc).map((key) => `${index.name}\0${encodeKey(key)}`),
  );
}
