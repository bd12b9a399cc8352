import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { DiskOp } from '../storage/sqlite-store.js';
import type { Collection } from './collection.js';
import type { Transaction } from './engine-api.js';

/** One running transaction: what it has written, kept to itself until it commits. */
export class TxnState implements Transaction {
  /** The transaction's own versions of the documents it wrote; undefined marks a delete. */
  readonly writes = new Map<Collection, Map<string, Document | undefined>>();
  /** Disk changes that belong to the transaction itself (collections it created). */
  readonly ops: DiskOp[] = [];
  /** Collections the transaction created implicitly: an abort removes them again if still empty. */
  readonly created: Collection[] = [];
  active = true;
  readonly ended: Promise<void>;
  end!: () => void;

  constructor(
    readonly id: number,
    /** The commit clock when it began: it sees every change committed up to then and none after. */
    readonly snapshot: number,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  own(coll: Collection): Map<string, Document | undefined> {
    let map = this.writes.get(coll);
    if (!map) {
      map = new Map();
      this.writes.set(coll, map);
    }
    return map;
  }
}

/** MongoDB's answer to a transaction that collides with another write: transient, so it is retried. */
export function writeConflict(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.WriteConflict, message, {}, ['TransientTransactionError']);
}
