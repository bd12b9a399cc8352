import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { DiskOp } from '../storage/sqlite-store.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { toBson } from './document-checks.js';
import type { Transaction } from './engine-api.js';
import type { GroupCommit } from './group-commit.js';

/**
 * Snapshot-isolated transactions that do not block the world. A transaction's writes wait in its own
 * overlay (never in the shared collections) until commit, so everything outside it reads the last
 * committed state at once. It reads the committed state as of its start, through the history kept of
 * documents changed since, plus its own writes. A document it writes is locked to it: another
 * transaction writing it gets WriteConflict (112, labelled TransientTransactionError, which drivers'
 * withTransaction retries), and a write outside any transaction waits until it ends, as in MongoDB.
 * Documents it does not touch are free for everyone.
 */

/** What a document was before a committed change, for transactions whose snapshot predates it. */
interface HistoryEntry {
  at: number;
  before: Document | undefined;
}

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

export function writeConflict(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.WriteConflict, message, {}, ['TransientTransactionError']);
}

export class Transactions {
  private nextId = 1;
  /** Ticks once per committed change; snapshots are readings of it. */
  private clock = 0;
  private readonly running = new Set<TxnState>();
  /** Which running transaction has written each document. */
  private readonly locks = new Map<Collection, Map<string, TxnState>>();
  /** Committed changes made while transactions were running, oldest first per document. */
  private readonly history = new Map<Collection, Map<string, HistoryEntry[]>>();

  constructor(
    private readonly catalog: Catalog,
    private readonly commits: GroupCommit,
  ) {}

  begin(): TxnState {
    const txn = new TxnState(this.nextId++, this.clock);
    this.running.add(txn);
    return txn;
  }

  /** The running transaction behind a handle; NoSuchTransaction (251) once it has ended. */
  resolve(txn: Transaction | undefined): TxnState | undefined {
    if (!txn) return undefined;
    if (!(txn instanceof TxnState) || !txn.active) {
      const message = `Transaction ${txn.id} has been aborted or committed`;
      throw new MongoCommandError(ErrorCodes.NoSuchTransaction, message);
    }
    return txn;
  }

  get anyRunning(): boolean {
    return this.running.size > 0;
  }

  lockOwner(coll: Collection, id: string): TxnState | undefined {
    return this.locks.get(coll)?.get(id);
  }

  /** True when some running transaction holds a document of this collection. */
  hasLocks(coll: Collection): boolean {
    return (this.locks.get(coll)?.size ?? 0) > 0;
  }

  /**
   * Records a committed change (outside any transaction, or by a commit) so that running transactions
   * keep reading what they saw and detect that the document moved on. Free when none is running.
   */
  noteCommitted(coll: Collection, id: string, before: Document | undefined): void {
    if (this.running.size === 0) return;
    this.clock++;
    let perColl = this.history.get(coll);
    if (!perColl) {
      perColl = new Map();
      this.history.set(coll, perColl);
    }
    const entries = perColl.get(id);
    if (entries) entries.push({ at: this.clock, before });
    else perColl.set(id, [{ at: this.clock, before }]);
  }

  /** The version of a document a transaction's snapshot sees: `current` unless it changed since. */
  snapshotVersion(
    txn: TxnState,
    coll: Collection,
    id: string,
    current: Document | undefined,
  ): Document | undefined {
    const entries = this.history.get(coll)?.get(id);
    if (!entries) return current;
    for (const e of entries) if (e.at > txn.snapshot) return e.before;
    return current;
  }

  /** Ids of documents of the collection changed since the snapshot (deleted or moved in an index). */
  changedSince(txn: TxnState, coll: Collection): string[] {
    const perColl = this.history.get(coll);
    if (!perColl) return [];
    const ids: string[] = [];
    for (const [id, entries] of perColl) if (entries[entries.length - 1]!.at > txn.snapshot) ids.push(id);
    return ids;
  }

  /** Takes a document for a transaction, or fails with WriteConflict as MongoDB does. */
  claim(txn: TxnState, coll: Collection, id: string): void {
    const owner = this.lockOwner(coll, id);
    if (owner === txn) return;
    if (owner) throw writeConflict('Write conflict: another transaction is writing this document');
    const entries = this.history.get(coll)?.get(id);
    if (entries && entries[entries.length - 1]!.at > txn.snapshot) {
      throw writeConflict('Write conflict: the document changed after the transaction started');
    }
    let perColl = this.locks.get(coll);
    if (!perColl) {
      perColl = new Map();
      this.locks.set(coll, perColl);
    }
    perColl.set(id, txn);
  }

  async commit(handle: Transaction): Promise<void> {
    const txn = this.resolve(handle)!;
    try {
      const ops = this.apply(txn);
      this.finish(txn);
      this.commits.pushAll(ops);
    } catch (e) {
      this.abort(txn);
      throw e;
    }
    await this.commits.whenDurable();
  }

  /** Moves the overlay into the shared collections; all or nothing. */
  private apply(txn: TxnState): DiskOp[] {
    const ops: DiskOp[] = [...txn.ops];
    const undo: (() => Collection | undefined)[] = [];
    try {
      for (const [coll, writes] of txn.writes) {
        if (this.catalog.get(coll.db, coll.name) !== coll) {
          throw writeConflict(
            `Write conflict: collection ${coll.ns} was dropped or renamed during the transaction`,
          );
        }
        // Deletes first, then changes, then inserts, so keys a transaction moved are free when reused.
        const order = [...writes].sort(([a, x], [b, y]) => rank(coll, a, x) - rank(coll, b, y));
        for (const [id, after] of order) {
          const before = coll.docs.get(id);
          const seq = coll.seq(id);
          if (after === undefined) {
            if (!before) continue;
            coll.remove(id);
            ops.push({ k: 'del', ns: coll.ns, id });
          } else if (before) {
            coll.replace(id, before, after);
            ops.push({ k: 'put', ns: coll.ns, id, bson: toBson(after) });
          } else {
            coll.insert(after);
            ops.push({ k: 'put', ns: coll.ns, id, bson: toBson(after) });
          }
          undo.push(() => (coll.restore(id, before, seq) ? coll : undefined));
          this.noteCommitted(coll, id, before);
        }
      }
    } catch (e) {
      const reorder = new Set<Collection>();
      for (let i = undo.length - 1; i >= 0; i--) {
        const coll = undo[i]!();
        if (coll) reorder.add(coll);
      }
      for (const coll of reorder) coll.restoreOrder();
      if (e instanceof MongoCommandError && e.code === ErrorCodes.DuplicateKey) {
        throw writeConflict(`Write conflict at commit: ${e.message}`);
      }
      throw e;
    }
    return ops;
  }

  abort(handle: Transaction): void {
    const txn = this.resolve(handle)!;
    for (const coll of txn.created) {
      if (coll.docs.size === 0) this.catalog.forget(coll);
      else this.catalog.saveMeta(coll);
    }
    this.finish(txn);
  }

  private finish(txn: TxnState): void {
    txn.active = false;
    this.running.delete(txn);
    for (const [coll, writes] of txn.writes) {
      const perColl = this.locks.get(coll);
      for (const id of writes.keys()) if (perColl?.get(id) === txn) perColl.delete(id);
      if (perColl?.size === 0) this.locks.delete(coll);
    }
    this.prune();
    txn.end();
  }

  /** History older than every running snapshot is no longer needed. */
  private prune(): void {
    if (this.running.size === 0) {
      this.history.clear();
      return;
    }
    const oldest = Math.min(...[...this.running].map((t) => t.snapshot));
    for (const [coll, perColl] of this.history) {
      for (const [id, entries] of perColl) {
        const kept = entries.filter((e) => e.at > oldest);
        if (kept.length === 0) perColl.delete(id);
        else if (kept.length < entries.length) perColl.set(id, kept);
      }
      if (perColl.size === 0) this.history.delete(coll);
    }
  }
}

function rank(coll: Collection, id: string, after: Document | undefined): number {
  if (after === undefined) return 0;
  return coll.docs.has(id) ? 1 : 2;
}
