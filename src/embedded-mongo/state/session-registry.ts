import type { Document } from 'bson';
import type { StoreEngine, Transaction } from '../engine/engine-api.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { replayOrExecute } from './retryable-writes.js';
import { newSessionState, type SessionArgs, type SessionState } from './session-state.js';
import { transactionNotOpen } from './transaction-errors.js';

/**
 * Per-session state: the session's transaction, and the reply of its last retryable write. Only
 * sessions that ran a transaction or a retryable write are tracked. Transactions do not block other
 * sessions (the engine isolates them), so nothing here waits.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    private readonly engine: StoreEngine,
    private readonly txnLifetimeMs: number,
    private readonly onSessionEnd: (key: string) => void,
  ) {}

  /**
   * Called before a command runs. Inside a transaction it returns the engine's Transaction handle,
   * starting the transaction when startTransaction is set.
   */
  enter(args: SessionArgs): Transaction | undefined {
    const { key } = args;
    if (!args.inTransaction) {
      if (args.startTransaction) {
        throw new MongoCommandError(ErrorCodes.InvalidOptions, 'startTransaction requires autocommit: false');
      }
      return undefined;
    }
    const { txnNumber } = args;
    if (key === undefined || txnNumber === undefined) {
      throw new MongoCommandError(
        ErrorCodes.InvalidOptions,
        'a transaction statement requires an lsid and a txnNumber',
      );
    }
    const session = this.session(key);
    if (args.startTransaction) return this.start(session, txnNumber);
    if (session.state === 'active' && session.txnNumber === txnNumber) {
      this.touch(session);
      return session.txn;
    }
    throw transactionNotOpen(session, txnNumber);
  }

  async commit(args: SessionArgs): Promise<void> {
    const { session, txnNumber } = this.target(args);
    if (session.txnNumber === txnNumber && session.state === 'committed') return; // a retried commit
    if (session.state !== 'active' || session.txnNumber !== txnNumber)
      throw transactionNotOpen(session, txnNumber);
    clearTimeout(session.timer);
    const txn = session.txn!;
    try {
      await this.engine.commitTransaction(txn);
      session.state = 'committed';
    } catch (err) {
      session.state = 'aborted';
      throw err;
    } finally {
      session.txn = undefined;
    }
  }

  /**
   * Retryable writes: a write re-sent with the same session and txnNumber (after a network error, say)
   * is answered with the first execution's reply instead of being applied again.
   */
  retryableWrite(args: SessionArgs, execute: () => Promise<Document>): Promise<Document> {
    const { key, txnNumber } = args;
    if (key === undefined || txnNumber === undefined) return execute();
    return replayOrExecute(this.session(key), txnNumber, execute);
  }

  abort(args: SessionArgs): void {
    const { session, txnNumber } = this.target(args);
    if (session.state !== 'active' || session.txnNumber !== txnNumber)
      throw transactionNotOpen(session, txnNumber);
    this.abortSession(session);
  }

  /** MongoDB aborts a transaction when one of its statements fails. */
  abortAfterError(args: SessionArgs): void {
    const { key } = args;
    const session = key === undefined ? undefined : this.sessions.get(key);
    if (session?.state === 'active') this.abortSession(session);
  }

  endSessions(keys: string[]): void {
    for (const key of keys) {
      const session = this.sessions.get(key);
      if (session) {
        if (session.state === 'active') this.abortSession(session);
        this.sessions.delete(key);
      }
      this.onSessionEnd(key);
    }
  }

  abortAll(): void {
    for (const session of this.sessions.values()) {
      if (session.state === 'active') this.abortSession(session);
    }
  }

  /** Forgets finished sessions nobody used for a long time, so the map cannot grow without bound. */
  prune(maxIdleMs: number, now = Date.now()): void {
    for (const [key, session] of this.sessions) {
      if (session.state !== 'active' && now - session.lastUsed > maxIdleMs) this.sessions.delete(key);
    }
  }

  get activeTransactions(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.state === 'active') n++;
    return n;
  }

  private start(session: SessionState, txnNumber: number): Transaction {
    if (txnNumber < session.txnNumber || (txnNumber === session.txnNumber && session.state !== 'none')) {
      throw new MongoCommandError(
        ErrorCodes.TransactionTooOld,
        `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`,
      );
    }
    // A new txnNumber supersedes an older open transaction of the same session, as in MongoDB.
    if (session.state === 'active') this.abortSession(session);
    session.txnNumber = txnNumber;
    session.txn = this.engine.beginTransaction();
    session.state = 'active';
    this.touch(session);
    return session.txn;
  }

  private abortSession(session: SessionState): void {
    clearTimeout(session.timer);
    const txn = session.txn;
    session.txn = undefined;
    session.state = 'aborted';
    if (txn) this.engine.abortTransaction(txn);
  }

  private touch(session: SessionState): void {
    session.lastUsed = Date.now();
    clearTimeout(session.timer);
    // A client that died mid-transaction must not hold its documents forever (transactionLifetimeLimitSeconds).
    session.timer = setTimeout(() => {
      if (session.state === 'active') this.abortSession(session);
    }, this.txnLifetimeMs);
    session.timer.unref();
  }

  private session(key: string): SessionState {
    let session = this.sessions.get(key);
    if (!session) {
      session = newSessionState(key);
      this.sessions.set(key, session);
    }
    session.lastUsed = Date.now();
    return session;
  }

  private target(args: SessionArgs): { session: SessionState; txnNumber: number } {
    const { key, txnNumber } = args;
    if (key === undefined || txnNumber === undefined) {
      throw new MongoCommandError(
        ErrorCodes.InvalidOptions,
        'commitTransaction and abortTransaction need lsid and txnNumber',
      );
    }
    return { session: this.session(key), txnNumber };
  }
}
