/**
 * The store's isolation is serial: while one session has a transaction open, it owns this lock, and every
 * other command that reads or writes data waits in FIFO order until the transaction commits or aborts.
 * Commands outside transactions never hold the lock (the engine runs each one to completion
 * synchronously); they only wait for it to be free.
 */
export class TxnLock {
  private ownerKey: string | null = null;
  private readonly waiters: { key: string; exclusive: boolean; grant: () => void }[] = [];

  get owner(): string | null {
    return this.ownerKey;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves when the caller may touch data; with `exclusive` the caller (a starting transaction) then
   * owns the lock until release(key). Returns undefined when granted at once, so the common uncontended
   * path costs no promise.
   */
  acquire(key: string, exclusive: boolean): Promise<void> | undefined {
    if (this.ownerKey === null && this.waiters.length === 0) {
      if (exclusive) this.ownerKey = key;
      return undefined;
    }
    return new Promise((resolve) => {
      this.waiters.push({ key, exclusive, grant: resolve });
    });
  }

  release(key: string): void {
    if (this.ownerKey !== key) return;
    this.ownerKey = null;
    while (this.ownerKey === null && this.waiters.length > 0) {
      const next = this.waiters.shift()!;
      if (next.exclusive) this.ownerKey = next.key;
      next.grant();
    }
  }
}
