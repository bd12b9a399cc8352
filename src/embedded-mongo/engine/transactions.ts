import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { DiskOp } from '../storage/sqlite-store.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import type { Transaction } from './engine-api.js';
import type { GroupCommit } from './group-commit.js';

interface UndoEntry {
  coll: Collection;
  id: string;
  before: Document | undefined;
  /** Natural-order position of a deleted document. */
  seq?: number;
}

/**
 * A running transaction: its writes are applied to memory at once and remembered in an undo log, while
 * their disk changes wait here until commit, so an abort leaves nothing on disk.
 */
export class TxnState implements Transaction {
  readonly undo: UndoEntry[] = [];
  readonly ops: DiskOp[] = [];
  /** Collections the transaction created implicitly: an abort removes them again. */
  readonly created: Collection[] = [];
  active = true;
  constructor(readonly id: number) {}
}

export class Transactions {
  private nextId = 1;

  constructor(
    private readonly catalog: Catalog,
    private readonly commits: GroupCommit,
  ) {}

  begin(): TxnState {
    return new TxnState(this.nextId++);
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

  async commit(txn: Transaction): Promise<void> {
    const t = this.resolve(txn)!;
    t.active = false;
    this.commits.pushAll(t.ops);
    await this.commits.whenDurable();
  }

  abort(txn: Transaction): void {
    const t = this.resolve(txn)!;
    t.active = false;
    const reorder = new Set<Collection>();
    for (let i = t.undo.length - 1; i >= 0; i--) {
      const u = t.undo[i]!;
      if (u.coll.restore(u.id, u.before, u.seq)) reorder.add(u.coll);
    }
    for (const c of reorder) c.restoreOrder();
    for (const c of t.created) this.catalog.forget(c);
  }
}
