import { BTree } from './btree.js';
import type { Document } from 'bson';
import { compileFilter, type Matcher } from './compile-filter.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { IndexSpec } from './engine-api.js';
import { compareValues } from '../bson/compare-values.js';
import { typeRank } from '../bson/type-order.js';
import { encodeKey } from '../bson/value-keys.js';
import { missingUnderArray, pathValues } from './document-paths.js';
import { formatFields } from '../bson/shell-format.js';

/** Bounds that sort below or above every value of one BSON type (or of all types), for range scans. */
export class KeyBound {
  constructor(
    readonly rank: number,
    readonly high: boolean,
  ) {}
}
export const LOWEST = new KeyBound(-Infinity, false);
export const HIGHEST = new KeyBound(Infinity, true);

function compareKeyPart(a: unknown, b: unknown): number {
  const ab = a instanceof KeyBound;
  const bb = b instanceof KeyBound;
  if (!ab && !bb) return compareValues(a, b);
  if (ab && bb) {
    if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
    return a.high === b.high ? 0 : a.high ? 1 : -1;
  }
  if (ab) {
    const r = typeRank(b);
    if (a.rank !== r) return a.rank < r ? -1 : 1;
    return a.high ? 1 : -1;
  }
  return -compareKeyPart(b, a);
}

export function compareKeys(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareKeyPart(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const MAX_KEYS_PER_DOC = 10_000;

/** One secondary (or _id) index: an ordered tree from key tuple to the ids of documents holding it. */
export class CollectionIndex {
  readonly fields: string[];
  readonly tree: BTree<unknown[], Set<string>>;
  readonly unique: boolean;
  /**
   * Set once any document holds an array in an indexed field (never reset). A multikey index cannot
   * intersect a lower and an upper bound: `{$gt: 2, $lt: 1}` matches [0, 3] through two elements.
   */
  multikey = false;
  private readonly partial: Matcher | undefined;

  constructor(
    readonly spec: IndexSpec,
    private readonly ns: string,
    /** The collection's documents, from which the _id index builds its tree on first ordered use. */
    private readonly idSource?: () => Iterable<[string, Document]>,
  ) {
    this.fields = Object.keys(spec.key);
    this.tree = new BTree<unknown[], Set<string>>(undefined, compareKeys);
    this.unique = spec.unique === true || spec.name === '_id_';
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Usable to answer any query on its fields: it holds an entry for every document. */
  get complete(): boolean {
    return !this.spec.sparse && !this.spec.partialFilterExpression;
  }

  /**
   * The _id index is served by the collection's id map (which also enforces its uniqueness) for
   * equality, so it keeps no tree until a range or a sorted walk first needs _id order: that spares
   * every insert and the startup load the tree's work when nothing asks for it.
   */
  get isIdIndex(): boolean {
    return this.spec.name === '_id_';
  }

  private idOrdered = false;

  /** Builds the _id tree from the collection's documents once; later writes then keep it current. */
  private ensureOrdered(): void {
    if (!this.isIdIndex || this.idOrdered || !this.idSource) return;
    this.idOrdered = true;
    for (const [id, doc] of this.idSource()) this.add(id, [[doc._id]]);
  }

  /** The distinct key tuples of a document; none when sparse/partial leave it out. */
  keysOf(doc: Document): unknown[][] {
    if (this.isIdIndex) return this.idOrdered ? [[doc._id]] : [];
    if (this.partial && !this.partial.test(doc)) return [];
    const perField: unknown[][] = [];
    let anyPresent = false;
    for (const f of this.fields) {
      const found = pathValues(doc, f);
      if (found.length > 0) anyPresent = true;
      if (found.length > 1) this.multikey = true;
      const vals: unknown[] = [];
      // An array element lacking the rest of the path contributes null, as it matches `{path: null}`.
      if (found.length === 0 || missingUnderArray(doc, f)) vals.push(null);
      for (const v of found) {
        if (Array.isArray(v)) this.multikey = true;
        if (Array.isArray(v) && v.length > 0) vals.push(...(v as unknown[]));
        else vals.push(v === undefined ? null : v);
      }
      perField.push(vals);
    }
    if (this.spec.sparse && !anyPresent) return [];
    let tuples: unknown[][] = [[]];
    for (const vals of perField) {
      const next: unknown[][] = [];
      for (const t of tuples) for (const v of vals) next.push([...t, v]);
      tuples = next;
      if (tuples.length > MAX_KEYS_PER_DOC) {
        throw new MongoCommandError(
          ErrorCodes.CannotCreateIndex,
          `too many index keys for index ${this.name}`,
        );
      }
    }
    if (tuples.length === 1) return tuples;
    const seen = new Map<string, unknown[]>();
    for (const t of tuples) seen.set(encodeKey(t), t);
    return [...seen.values()];
  }

  add(id: string, keys: unknown[][]): void {
    for (const k of keys) {
      const ids = this.tree.get(k);
      if (ids) ids.add(id);
      else this.tree.set(k, new Set([id]));
    }
  }

  remove(id: string, keys: unknown[][]): void {
    for (const k of keys) {
      const ids = this.tree.get(k);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.tree.delete(k);
    }
  }

  /** The duplicate-key error a document with these keys would cause, or undefined. */
  conflict(id: string, keys: unknown[][]): MongoCommandError | undefined {
    if (!this.unique) return undefined;
    for (const k of keys) {
      const ids = this.tree.get(k);
      if (!ids) continue;
      for (const other of ids) if (other !== id) return this.duplicateError(k);
    }
    return undefined;
  }

  duplicateError(key: unknown[]): MongoCommandError {
    const keyValue: Record<string, unknown> = {};
    this.fields.forEach((f, i) => (keyValue[f] = key[i]));
    const keyPattern = { ...this.spec.key };
    return new MongoCommandError(
      ErrorCodes.DuplicateKey,
      `E11000 duplicate key error collection: ${this.ns} index: ${this.name} dup key: ${formatFields(keyValue)}`,
      { keyPattern, keyValue },
    );
  }

  /** Ids of documents whose leading field equals one of the values. */
  idsForValues(values: unknown[], out: Set<string>): void {
    for (const v of values) {
      if (this.fields.length === 1) {
        const ids = this.tree.get([v]);
        if (ids) for (const id of ids) out.add(id);
      } else {
        this.idsInRange([v, LOWEST], [v, HIGHEST], out);
      }
    }
  }

  /** Every id in key order (descending when dir < 0); an id may repeat for multikey documents. */
  *idsInOrder(dir: number): Generator<string> {
    this.ensureOrdered();
    const entries = dir < 0 ? this.tree.entriesReversed() : this.tree.entries();
    for (const [, ids] of entries) yield* ids;
  }

  /** Ids whose leading key part lies between lo and hi; the caller's filter still refines them. */
  idsInRange(lo: unknown[], hi: unknown[], out: Set<string>, loExclusive = false, hiExclusive = false): void {
    this.ensureOrdered();
    this.tree.forRange(lo, hi, true, (k, ids) => {
      if (loExclusive && compareKeyPart(k[0], lo[0]) === 0) return;
      if (hiExclusive && compareKeyPart(k[0], hi[0]) === 0) return;
      for (const id of ids) out.add(id);
    });
  }
}
