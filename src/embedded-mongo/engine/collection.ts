import type { Document } from 'bson';
import type { IndexSpec } from './engine-api.js';
import { encodeKey } from '../bson/value-keys.js';
import { CollectionIndex } from './collection-index.js';
import { planQuery, type Plan } from './query-planner.js';

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/**
 * One collection in memory: documents by encoded _id (in natural order) and its indexes. Every
 * mutation keeps documents and indexes consistent: a write that would violate a unique index throws
 * before anything changes.
 */
export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, CollectionIndex>();
  /** Insertion sequence of each document, so an aborted delete can be put back in natural order. */
  private readonly seqOf = new Map<string, number>();
  private nextSeq = 0;
  /** Counts every change of a document, so what is computed from all of them can be kept until one changes. */
  changes = 0;

  constructor(
    public db: string,
    public name: string,
    public options: Document = {},
    specs: IndexSpec[] = [],
  ) {
    this.addIndex(ID_INDEX_SPEC);
    for (const s of specs) if (s.name !== '_id_') this.addIndex(s);
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [...this.indexes.values()].map((i) => i.spec);
  }

  /** Builds an index over the current documents; throws (and adds nothing) on a duplicate key. */
  addIndex(spec: IndexSpec): void {
    const index = new CollectionIndex(spec, this.ns, () => this.docs.entries());
    for (const [id, doc] of this.docs) {
      const keys = index.keysOf(doc);
      const err = index.conflict(id, keys);
      if (err) throw err;
      index.add(id, keys);
    }
    this.indexes.set(spec.name, index);
  }

  dropIndex(name: string): void {
    this.indexes.delete(name);
  }

  /** Re-labels the namespace used in duplicate-key messages after a rename. */
  rebuildIndexes(): void {
    const specs = this.indexSpecs();
    this.indexes.clear();
    for (const s of specs) this.addIndex(s);
  }

  insert(doc: Document): string {
    const id = encodeKey(doc._id);
    // The _id index maps ids to themselves, so an existing id is the duplicate (conflict() skips self).
    if (this.docs.has(id)) throw this.indexes.get('_id_')!.duplicateError([doc._id]);
    const perIndex: [CollectionIndex, unknown[][]][] = [];
    for (const index of this.indexes.values()) {
      const keys = index.keysOf(doc);
      const err = index.conflict(id, keys);
      if (err) throw err;
      perIndex.push([index, keys]);
    }
    for (const [index, keys] of perIndex) index.add(id, keys);
    this.docs.set(id, doc);
    this.changes++;
    this.seqOf.set(id, this.nextSeq++);
    return id;
  }

  /** Loads a stored document without uniqueness checks (the data was valid when written). */
  load(doc: Document): void {
    const id = encodeKey(doc._id);
    for (const index of this.indexes.values()) index.add(id, index.keysOf(doc));
    this.docs.set(id, doc);
    this.changes++;
    this.seqOf.set(id, this.nextSeq++);
  }

  replace(id: string, oldDoc: Document, newDoc: Document): void {
    const changes: [CollectionIndex, unknown[][], unknown[][]][] = [];
    for (const index of this.indexes.values()) {
      const oldKeys = index.keysOf(oldDoc);
      const newKeys = index.keysOf(newDoc);
      if (sameKeys(oldKeys, newKeys)) continue;
      const err = index.conflict(id, newKeys);
      if (err) throw err;
      changes.push([index, oldKeys, newKeys]);
    }
    for (const [index, oldKeys, newKeys] of changes) {
      index.remove(id, oldKeys);
      index.add(id, newKeys);
    }
    this.docs.set(id, newDoc);
    this.changes++;
  }

  remove(id: string): Document | undefined {
    const doc = this.docs.get(id);
    if (!doc) return undefined;
    for (const index of this.indexes.values()) index.remove(id, index.keysOf(doc));
    this.docs.delete(id);
    this.changes++;
    this.seqOf.delete(id);
    return doc;
  }

  seq(id: string): number | undefined {
    return this.seqOf.get(id);
  }

  /**
   * Puts a document back exactly as it was (transaction undo), without uniqueness checks. Returns
   * true when natural order needs `restoreOrder()` because a deleted document came back.
   */
  restore(id: string, before: Document | undefined, seq: number | undefined): boolean {
    const current = this.docs.get(id);
    if (current && before) {
      for (const index of this.indexes.values()) {
        index.remove(id, index.keysOf(current));
        index.add(id, index.keysOf(before));
      }
      this.docs.set(id, before);
      this.changes++;
      return false;
    }
    this.remove(id);
    if (!before) return false;
    this.load(before);
    if (seq !== undefined) this.seqOf.set(id, seq);
    return true;
  }

  restoreOrder(): void {
    const entries = [...this.docs.entries()].sort((a, b) => this.seqOf.get(a[0])! - this.seqOf.get(b[0])!);
    this.docs.clear();
    for (const [id, doc] of entries) this.docs.set(id, doc);
  }

  plan(filter: Document | undefined): Plan {
    return planQuery(filter, this.indexes.values(), (id) => this.docs.has(id));
  }

  /** Candidate documents for a filter (a superset of the matches), via an index when one applies. */
  *candidates(filter: Document | undefined): Generator<[string, Document]> {
    const plan = this.plan(filter);
    if (plan.kind === 'scan') {
      yield* this.docs;
      return;
    }
    for (const id of plan.ids) {
      const doc = this.docs.get(id);
      if (doc) yield [id, doc];
    }
  }
}

function sameKeys(a: unknown[][], b: unknown[][]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return encodeKey(a[0]) === encodeKey(b[0]);
  const sa = new Set(a.map(encodeKey));
  return b.every((k) => sa.has(encodeKey(k)));
}
