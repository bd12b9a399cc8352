import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { DiskOp } from '../storage/sqlite-store.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { CommitHistory } from './commit-history.js';
import { toBson } from './document-checks.js';
import type { Transaction } from './engine-api.js';
import type { GroupCommit } from './group-commit.js';
import { TxnLocks } from './txn-locks.js';
import { TxnState, writeConflict } from './txn-state.js';

/**
 * Snapshot-isolated transactions that do not block the world. A transaction's writes wait in its own
 * overlay (never in the shared collections) until commit, so everything outside it reads the last
 * committed state at once. It reads the committed state as of its start, through the history kept of
 * documents changed since, plus its own writes. What it writes is held until it ends (txn-locks.ts):
 * another transaction reaching it gets WriteConflict (112, labelled TransientTransactionError, which
 * drivers' withTransaction retries), and a write outside any transaction waits, as in MongoDB.
 * Documents and keys it does not touch are free for everyone.
 */
export class Transactions {
  private nextId = 1;
  private readonly running = new Set<TxnState>();
  readonly history = new CommitHistory();
  readonly locks = new TxnLocks();

  constructor(
    private readonly catalog: Catalog,
    private readonly commits: GroupCommit,
  ) {}

  begin(): TxnState {
    const txn = new TxnState(this.nextId++, this.history.clock);
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

  /**
   * Records a committed change (outside any transaction, or by a commit) so that running transactions
   * keep reading what they saw and detect that the document moved on. Free when none is running.
   */
  noteCommitted(coll: Collection, id: string, before: Document | undefined): void {
    if (this.running.size > 0) this.history.note(coll, id, before);
  }

  /**
   * Fails with WriteConflict, as MongoDB does, when a transaction would write a document (or a unique key
   * of its old or new version) that another transaction holds, or that changed after its snapshot.
   */
  checkWritable(txn: TxnState, coll: Collection, id: string, versions: (Document | undefined)[]): void {
    if (this.history.changedAfter(txn.snapshot, coll, id) && this.locks.docOwner(coll, id) !== txn) {
      throw writeConflict('Write conflict: the document changed after the transaction started');
    }
    this.locks.checkFree(txn, coll, id, versions);
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
          } else {
            if (before) coll.replace(id, before, after);
            else coll.insert(after);
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
    this.locks.release(txn);
    // History older than every running snapshot is no longer needed.
    const snapshots = [...this.running].map((t) => t.snapshot);
    this.history.prune(snapshots.length > 0 ? Math.min(...snapshots) : undefined);
    txn.end();
  }
}

function rank(coll: Collection, id: string, after: Document | undefined): number {
  if (after === undefined) return 0;
  return coll.docs.has(id) ? 1 : 2;
}
