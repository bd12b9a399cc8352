import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { DiskOp } from '../storage/sqlite-store.js';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * Group commit: writes queue their disk changes; one flush, scheduled with setImmediate, commits
 * everything queued so far in a single transaction and then settles every waiter. A failed commit
 * poisons the engine: memory would no longer match the disk, so further writes are refused
 * (assertHealthy) and every later waiter is rejected with the first failure.
 */
export class GroupCommit {
  private pending: DiskOp[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private failure: Error | undefined;

  constructor(private readonly commit: (ops: DiskOp[]) => void) {}

  assertHealthy(): void {
    if (this.failure) {
      throw new MongoCommandError(
        ErrorCodes.InternalError,
        `the store refuses writes after a failed disk commit: ${this.failure.message}`,
      );
    }
  }

  push(op: DiskOp): void {
    this.pending.push(op);
    this.schedule();
  }

  pushAll(ops: DiskOp[]): void {
    for (const op of ops) this.pending.push(op);
    if (ops.length > 0) this.schedule();
  }

  whenDurable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.length === 0 && this.waiters.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushNow();
    });
  }

  /**
   * Commits what is queued now. It never throws: a failed commit is kept as the poison and reported
   * to the waiters it rejects, so a flush scheduled with setImmediate cannot crash the worker.
   */
  flushNow(): void {
    const ops = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    if (this.failure) {
      for (const w of waiters) w.reject(this.failure);
      return;
    }
    try {
      this.commit(ops);
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      for (const w of waiters) w.reject(this.failure);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}
