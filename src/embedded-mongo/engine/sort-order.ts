import type { Document } from 'bson';
import { pathValues } from './document-paths.js';
import { compareValues } from '../bson/compare-values.js';

/**
 * MongoDB sort semantics: a missing field sorts as null; an array field sorts by its smallest element
 * ascending and its largest descending; an empty array sorts before null.
 */

const EMPTY_ARRAY_KEY = Symbol('emptyArray');

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
