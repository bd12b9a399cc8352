import type { Document } from 'bson';
import { encodeKey } from '../bson/value-keys.js';
import type { Catalog } from './catalog.js';
import { Collection } from './collection.js';
import { compileFilter } from './compile-filter.js';
import type { FindOptions } from './engine-api.js';
import { resolveHint, type HintedScan } from './indexes.js';
import { applyProjection } from './projection.js';
import { pathValues } from './document-paths.js';
import { sortDocuments } from './sort-order.js';
import type { DocSource } from './txn-view.js';

/** How a read sees a collection: committed (the default) or through a transaction. */
export type SourceOf = (coll: Collection) => DocSource;

const committed: SourceOf = (coll) => coll;

/** Matches in natural (or index) order; stops after `max` of them when given (an unsorted limited find). */
export function matching(
  source: DocSource,
  filter: Document | undefined,
  max = Infinity,
): [string, Document][] {
  const query = compileFilter(filter);
  const out: [string, Document][] = [];
  for (const entry of source.candidates(filter)) {
    if (query && !query.test(entry[1])) continue;
    out.push(entry);
    if (out.length >= max) break;
  }
  return out;
}

/** The first match in sort order (or natural order), for single-document writes. */
export function firstMatch(
  source: DocSource,
  filter: Document | undefined,
  sort?: Document,
): [string, Document] | undefined {
  if (sort && Object.keys(sort).length > 0) {
    const sorted = sortDocuments(
      matching(source, filter).map(([, d]) => d),
      sort,
    );
    const first = sorted[0];
    return first ? [encodeKey(first._id), first] : undefined;
  }
  return matching(source, filter, 1)[0];
}

/** A missing collection matches nothing, but a bad filter is refused all the same, as MongoDB does. */
export function refuseBadFilter<T>(filter: Document | undefined, empty: T): T {
  compileFilter(filter);
  return empty;
}

/** Documents in the order a hint gives them, without those a hinted sparse or partial index leaves out. */
export function inHintedOrder(docs: Document[], hinted: HintedScan): Document[] {
  const held = hinted.holds ? docs.filter(hinted.holds) : docs;
  if (!('$natural' in hinted.order)) return sortDocuments(held, hinted.order);
  return Number(hinted.order.$natural) < 0 ? held.slice().reverse() : held;
}

function hasFields(d: Document | undefined): d is Document {
  return d !== undefined && Object.keys(d).length > 0;
}

export function find(
  catalog: Catalog,
  db: string,
  coll: string,
  options: FindOptions,
  sourceOf: SourceOf = committed,
): Document[] {
  const found = catalog.get(db, coll);
  if (!found) return refuseBadFilter(options.filter, []);
  const c = sourceOf(found);
  const hinted = options.hint === undefined ? undefined : resolveHint(found, options.hint);
  // Without a sort, a hinted find returns the documents in the index's order, as its scan does.
  const sort = hasFields(options.sort) ? options.sort : hinted?.order;
  const sortFields = sort ? Object.keys(sort).length : 0;
  const skip = options.skip ?? 0;
  const limit = options.limit ? Math.abs(options.limit) : 0;
  let docs: Document[] | undefined;
  if (limit > 0 && sortFields === 1 && c instanceof Collection && !hinted?.holds) {
    docs = walkSortIndex(c, options.filter, sort!, skip + limit)?.slice(skip);
  }
  if (!docs) {
    docs = matching(c, options.filter, sortFields === 0 && limit > 0 ? skip + limit : Infinity).map(
      ([, d]) => d,
    );
    if (hinted?.holds) docs = docs.filter(hinted.holds);
    if (sortFields === 1 && '$natural' in sort!) {
      if (Number(sort.$natural) < 0) docs.reverse();
    } else if (sortFields > 0) docs = sortDocuments(docs, sort!);
    if (skip > 0 || limit > 0) docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
  }
  return hasFields(options.projection) ? applyProjection(docs, options.projection, options.filter) : docs;
}

/**
 * A sorted, limited find on an indexed field walks that index in order and stops after `wanted`
 * matches, instead of sorting every match; used only when the filter itself has no index to use.
 * Index order is MongoDB's sort order: the first time a multikey document appears ascending is at
 * its smallest element, descending at its largest.
 */
function walkSortIndex(
  c: Collection,
  filter: Document | undefined,
  sort: Document,
  wanted: number,
): Document[] | undefined {
  const fields = Object.keys(sort);
  if (fields.length !== 1 || fields[0] === '$natural') return undefined;
  const index = [...c.indexes.values()].find((i) => i.complete && i.fields[0] === fields[0]);
  // Empty arrays sort before null but are indexed among arrays, so such an index cannot give the order.
  if (!index || index.tree.has([[]]) || c.plan(filter).kind !== 'scan') return undefined;
  const query = compileFilter(filter);
  const seen = new Set<string>();
  const out: Document[] = [];
  for (const id of index.idsInOrder(Number(sort[fields[0]!]))) {
    if (seen.has(id)) continue;
    seen.add(id);
    const doc = c.docs.get(id)!;
    if (query && !query.test(doc)) continue;
    out.push(doc);
    if (out.length >= wanted) break;
  }
  return out;
}

export function count(
  catalog: Catalog,
  db: string,
  coll: string,
  query: Document | undefined,
  skip = 0,
  limit = 0,
  sourceOf: SourceOf = committed,
): number {
  const found = catalog.get(db, coll);
  if (!found) return refuseBadFilter(query, 0);
  const c = sourceOf(found);
  const n = c instanceof Collection && !hasFields(query) ? c.docs.size : matching(c, query).length;
  const afterSkip = Math.max(0, n - skip);
  return limit > 0 ? Math.min(afterSkip, Math.abs(limit)) : afterSkip;
}

export function distinct(
  catalog: Catalog,
  db: string,
  coll: string,
  key: string,
  query: Document | undefined,
  sourceOf: SourceOf = committed,
): unknown[] {
  const found = catalog.get(db, coll);
  if (!found) return refuseBadFilter(query, []);
  const seen = new Map<string, unknown>();
  for (const [, doc] of matching(sourceOf(found), query)) {
    for (const v of pathValues(doc, key)) {
      for (const x of Array.isArray(v) ? (v as unknown[]) : [v]) {
        const k = encodeKey(x);
        if (!seen.has(k)) seen.set(k, x);
      }
    }
  }
  return [...seen.values()];
}
