import type { Document } from 'bson';
import type { Collection } from './collection.js';

/** What a document was before a committed change, for transactions whose snapshot predates it. */
interface HistoryEntry {
  at: number;
  before: Document | undefined;
}

/**
 * The previous versions of documents changed while transactions run, so each transaction keeps
 * reading the committed state as of its start. Kept only while some running snapshot needs them.
 */
export class CommitHistory {
  /** Ticks once per committed change; snapshots are readings of it. */
  clock = 0;
  private readonly entries = new Map<Collection, Map<string, HistoryEntry[]>>();

  note(coll: Collection, id: string, before: Document | undefined): void {
    this.clock++;
    let perColl = this.entries.get(coll);
    if (!perColl) {
      perColl = new Map();
      this.entries.set(coll, perColl);
    }
    const list = perColl.get(id);
    if (list) list.push({ at: this.clock, before });
    else perColl.set(id, [{ at: this.clock, before }]);
  }

  /** The version a snapshot sees: `current` unless the document changed after it. */
  versionAt(
    snapshot: number,
    coll: Collection,
    id: string,
    current: Document | undefined,
  ): Document | undefined {
    const list = this.entries.get(coll)?.get(id);
    if (!list) return current;
    for (const e of list) if (e.at > snapshot) return e.before;
    return current;
  }

  /** True when the document changed after the snapshot. */
  changedAfter(snapshot: number, coll: Collection, id: string): boolean {
    const list = this.entries.get(coll)?.get(id);
    return list !== undefined && list[list.length - 1]!.at > snapshot;
  }

  /** Ids of documents of the collection changed after the snapshot. */
  changedSince(snapshot: number, coll: Collection): string[] {
    const perColl = this.entries.get(coll);
    if (!perColl) return [];
    const ids: string[] = [];
    for (const [id, list] of perColl) if (list[list.length - 1]!.at > snapshot) ids.push(id);
    return ids;
  }

  /** Forgets what no snapshot from `oldest` on can see (everything, when none is running). */
  prune(oldest: number | undefined): void {
    if (oldest === undefined) {
      this.entries.clear();
      return;
    }
    for (const [coll, perColl] of this.entries) {
      for (const [id, list] of perColl) {
        const kept = list.filter((e) => e.at > oldest);
        if (kept.length === 0) perColl.delete(id);
        else if (kept.length < list.length) perColl.set(id, kept);
      }
      if (perColl.size === 0) this.entries.delete(coll);
    }
  }
}
