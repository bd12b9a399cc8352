import type { Document } from 'bson';
import { ownField } from '../bson/own-fields.js';
import { compareValues } from '../bson/compare-values.js';
import { typeRank, TypeRank } from '../bson/type-order.js';

/**
 * MongoDB sort semantics: a missing field sorts as null; an array field sorts by its smallest element
 * ascending and its largest descending; an empty array sorts before null.
 */

const EMPTY_ARRAY_KEY = Symbol('emptyArray');

/** Every value reachable through a dotted path, descending into arrays along the way. */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(cur: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(cur);
    return;
  }
  if (cur === null || typeof cur !== 'object') return;
  const part = parts[i]!;
  if (Array.isArray(cur)) {
    if (/^\d+$/.test(part) && Number(part) < cur.length) {
      collect(cur[Number(part)], parts, i + 1, out);
      return;
    }
    for (const el of cur)
      if (el !== null && typeof el === 'object' && !Array.isArray(el)) collect(el, parts, i, out);
    return;
  }
  const next = ownField(cur, part);
  if (next === undefined) return;
  collect(next, parts, i + 1, out);
}

/**
 * True when a dotted path crosses an array one of whose document elements lacks the rest of the path:
 * MongoDB treats that element's value as null, so `{'a.b': null}` matches `{a: [{b: 1}, {}]}` (and
 * an index on a.b holds a null key for it), while empty arrays and arrays of scalars do not count.
 * Paths with a numeric part (a.0.b) are left to the ordinary path rules.
 */
export function missingUnderArray(doc: unknown, path: string): boolean {
  if (!path.includes('.')) return false;
  const parts = path.split('.');
  if (parts.some((p) => /^\d+$/.test(p))) return false;
  return missingFrom(doc, parts, 0, false);
}

function isDocument(v: unknown): v is Record<string, unknown> {
  return typeRank(v) === TypeRank.Object;
}

function missingFrom(cur: unknown, parts: string[], i: number, viaArray: boolean): boolean {
  if (i === parts.length) return false;
  if (Array.isArray(cur)) return cur.some((el) => isDocument(el) && missingFrom(el, parts, i, true));
  if (!isDocument(cur)) return viaArray;
  const next = ownField(cur, parts[i]!);
  if (next === undefined) return viaArray;
  return missingFrom(next, parts, i + 1, viaArray);
}

function sortKeyFor(doc: Document, path: string, dir: number): unknown {
  const values: unknown[] = [];
  for (const v of pathValues(doc, path)) {
    if (Array.isArray(v)) {
      if (v.length === 0) values.push(EMPTY_ARRAY_KEY);
      else values.push(...(v as unknown[]));
    } else values.push(v);
  }
  if (values.length === 0) return null;
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareSortValues(values[i], best);
    if (dir >= 0 ? c < 0 : c > 0) best = values[i];
  }
  return best;
}

function compareSortValues(a: unknown, b: unknown): number {
  if (a === EMPTY_ARRAY_KEY || b === EMPTY_ARRAY_KEY) {
    if (a === b) return 0;
    return a === EMPTY_ARRAY_KEY ? -1 : 1;
  }
  return compareValues(a, b);
}

function compareSortKeys(a: unknown[], b: unknown[], fields: [string, unknown][]): number {
  for (let i = 0; i < fields.length; i++) {
    const c = compareSortValues(a[i], b[i]);
    if (c !== 0) return fields[i]![1] === -1 ? -c : c;
  }
  return 0;
}

/** Sorts documents by a MongoDB sort spec; stable, so equal keys keep natural order. */
export function sortDocuments(docs: Document[], sort: Document): Document[] {
  const fields = Object.entries(sort).filter(([, d]) => typeof d === 'number' || typeof d === 'object') as [
    string,
    unknown,
  ][];
  if (fields.length === 0) return docs;
  return sortByFields(
    docs,
    fields.map(([f, d]) => [f, Number(d) < 0 ? -1 : 1]),
  );
}

/** Stable sort by (path, direction) pairs; the find path and the aggregation $sort stage share it. */
export function sortByFields<T>(docs: T[], fields: [string, unknown][]): T[] {
  const keyed = docs.map((d, i) => ({
    d,
    i,
    k: fields.map(([f, dir]) => sortKeyFor(d as Document, f, Number(dir))),
  }));
  keyed.sort((x, y) => compareSortKeys(x.k, y.k, fields) || x.i - y.i);
  return keyed.map((x) => x.d);
}
