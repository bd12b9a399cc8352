import type { Document } from 'bson';
import { isPlainDocument } from '../bson/own-fields.js';
import { encodeKey } from '../bson/value-keys.js';
import type { Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import type { WriteTargets } from './engine-api.js';
import { firstMatch, matching } from './reads.js';
import type { TxnLocks } from './txn-locks.js';
import { applyUpdate } from './update-apply.js';
import { buildUpsertDoc } from './upsert-seed.js';

type Target = NonNullable<WriteTargets['filters']>[number];

/** What an update would make of a document, or nothing when it fails (the write reports that itself). */
function attempt(make: () => Document): Document | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/** The holder of the document an update, delete or findAndModify would change, or of a key it would write. */
function targetHolder(
  c: Collection,
  target: Target,
  holderOf: (doc: Document | undefined) => Promise<void> | undefined,
  locks: TxnLocks,
): Promise<void> | undefined {
  let matches: [string, Document][];
  try {
    const first = target.multi ? undefined : firstMatch(c, target.q, target.sort);
    matches = target.multi ? matching(c, target.q) : first ? [first] : [];
  } catch {
    return undefined; // a bad filter is the write's own error to report
  }
  const { u } = target;
  for (const [id, before] of matches) {
    const waiting =
      locks.docOwner(c, id)?.ended ??
      (u ? holderOf(attempt(() => applyUpdate(before, u, target.q, target.arrayFilters, false))) : undefined);
    if (waiting) return waiting;
  }
  if (matches.length > 0 || !target.upsert || !u) return undefined;
  return holderOf(attempt(() => buildUpsertDoc(target.q, u, target.arrayFilters)));
}

/**
 * Outside a transaction a write waits for the running transactions holding what it would change, as
 * MongoDB's does: a document they wrote, or a unique key their writes hold (an insert of a key a
 * transaction inserted waits to see whether it commits). Returns the end of one such transaction to
 * wait for, or nothing when the write may go ahead; free while no transaction holds anything here.
 */
export function writeBlockedBy(
  catalog: Catalog,
  locks: TxnLocks,
  db: string,
  coll: string,
  targets: WriteTargets,
): Promise<void> | undefined {
  const c = catalog.get(db, coll);
  if (!c || !locks.hasLocks(c)) return undefined;
  const holderOf = (doc: Document | undefined): Promise<void> | undefined => {
    if (!doc) return undefined;
    const byId = doc._id === undefined ? undefined : locks.docOwner(c, encodeKey(doc._id));
    return (byId ?? locks.keyOwner(c, doc))?.ended;
  };
  for (const doc of targets.inserts ?? []) {
    const waiting = isPlainDocument(doc) ? holderOf(doc) : undefined;
    if (waiting) return waiting;
  }
  for (const target of targets.filters ?? []) {
    const waiting = targetHolder(c, target, holderOf, locks);
    if (waiting) return waiting;
  }
  return undefined;
}
