import { BTree } from './btree.js';
import type { Document } from 'bson';
import { compileFilter, type Matcher } from './compile-filter.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { IndexSpec } from './engine-api.js';
import { compareKeyPart, compareKeys, HIGHEST, LOWEST } from './index-key-order.js';
import { documentKeys } from './index-keys.js';
import { formatFields } from '../bson/shell-format.js';

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
    const { keys, multikey } = documentKeys(doc, this.fields, this.spec.sparse === true, this.name);
    if (multikey) this.multikey = true;
    return keys;
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

  /**
   * Ids of documents whose key starts with one of the prefixes (equal values on the leading fields, in
   * order; a single value pins the leading field only); a prefix as long as the key is one lookup.
   */
  idsForPrefixes(prefixes: unknown[][], out: Set<string>): void {
    for (const prefix of prefixes) {
      if (prefix.length === this.fields.length) {
        const ids = this.tree.get(prefix);
        if (ids) for (const id of ids) out.add(id);
      } else {
        this.tree.forRange([...prefix, LOWEST], [...prefix, HIGHEST], true, (_k, ids) => {
          for (const id of ids) out.add(id);
        });
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
