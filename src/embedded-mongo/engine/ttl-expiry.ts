import type { Catalog } from './catalog.js';
import type { DocWriter } from './doc-writers.js';
import { matching } from './reads.js';
import type { TxnLocks } from './txn-locks.js';

/**
 * Deletes the documents TTL indexes say have expired, as MongoDB's TTL monitor does on each pass;
 * returns how many. A document a running transaction holds is left for the next pass.
 */
export function expireTtl(catalog: Catalog, locks: TxnLocks, writer: DocWriter, now: Date): number {
  let removed = 0;
  for (const c of catalog.all()) {
    for (const index of [...c.indexes.values()]) {
      const secs = index.spec.expireAfterSeconds;
      if (secs === undefined || index.fields.length !== 1) continue;
      const cutoff = new Date(now.getTime() - secs * 1000);
      // matching() returns a finished array, so removing while walking it is safe.
      for (const [id] of matching(c, { [index.fields[0]!]: { $lte: cutoff } })) {
        if (locks.docOwner(c, id)) continue;
        writer.remove(c, id);
        removed++;
      }
    }
  }
  return removed;
}
