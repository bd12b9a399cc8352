import type { Document } from 'bson';
import { bsonTypeOf, typeRank } from '../bson/type-order.js';
import { encodeKey } from '../bson/value-keys.js';
import type { CollectionIndex } from './collection-index.js';
import { KeyBound } from './index-key-order.js';

/**
 * Picks an index for a filter from its top-level (and $and) conditions. The candidate set it returns
 * is a superset of the matches: the caller still runs the full filter on each candidate.
 */

export type Plan = { kind: 'scan' } | { kind: 'ids'; index: string; ids: Iterable<string> };

type Bounds = { points: unknown[] } | { lo?: [unknown, boolean]; hi?: [unknown, boolean] };

function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || bsonTypeOf(v) !== undefined) return false;
  if (v instanceof Date || v instanceof RegExp || v instanceof Uint8Array) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0]!.startsWith('$');
}

/** A value an index can look up by equality (arrays and regexes match in ways a point lookup misses). */
function pointable(v: unknown): boolean {
  return !Array.isArray(v) && !(v instanceof RegExp) && bsonTypeOf(v) !== 'BSONRegExp' && v !== undefined;
}

/**
 * A path with a numeric part (a.0, a.b.1): the query reads it both as a position and as a field name
 * (query-paths.ts), which index keys (document-paths.ts) do not, so its conditions are left to a scan.
 */
function positional(path: string): boolean {
  return /(^|\.)\d+(\.|$)/.test(path);
}

function collectConditions(filter: Document, out: Map<string, unknown[]>): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const clause of v)
        if (clause && typeof clause === 'object') collectConditions(clause as Document, out);
    } else if (!k.startsWith('$') && !positional(k)) {
      const list = out.get(k) ?? [];
      list.push(v);
      out.set(k, list);
    }
  }
}

function boundsFor(conditions: unknown[]): Bounds | undefined {
  let lo: [unknown, boolean] | undefined;
  let hi: [unknown, boolean] | undefined;
  let points: unknown[] | undefined;
  for (const c of conditions) {
    if (!isOperatorObject(c)) {
      if (!pointable(c)) continue;
      points = [c];
      continue;
    }
    for (const [op, v] of Object.entries(c)) {
      if (op === '$eq' && pointable(v)) points = [v];
      else if (op === '$in' && Array.isArray(v) && v.every(pointable)) points = v;
      else if ((op === '$gt' || op === '$gte') && pointable(v)) lo = [v, op === '$gte'];
      else if ((op === '$lt' || op === '$lte') && pointable(v)) hi = [v, op === '$lte'];
    }
  }
  if (points) return { points };
  if (lo || hi) return { lo, hi };
  return undefined;
}

/** At most this many key prefixes are looked up ($in on several fields multiplies them). */
const MAX_PREFIXES = 1000;

/**
 * The key prefixes a compound index is pinned to: the leading field's values, then each following field
 * with an equality condition, as far as they go (a field without one ends the prefix). On a quiz's
 * attempts, {quizId, userId} then looks up one member's few instead of every attempt at the quiz.
 */
function equalityPrefixes(
  index: CollectionIndex,
  first: unknown[],
  conditions: Map<string, unknown[]>,
): unknown[][] {
  let prefixes = first.map((v) => [v]);
  for (const field of index.fields.slice(1)) {
    const conds = conditions.get(field);
    const bounds = conds ? boundsFor(conds) : undefined;
    if (!bounds || !('points' in bounds)) break;
    if (prefixes.length * bounds.points.length > MAX_PREFIXES) break;
    prefixes = prefixes.flatMap((p) => bounds.points.map((v) => [...p, v]));
  }
  return prefixes;
}

export function planQuery(
  filter: Document | undefined,
  indexes: Iterable<CollectionIndex>,
  hasId: (id: string) => boolean,
): Plan {
  if (!filter) return { kind: 'scan' };
  const conditions = new Map<string, unknown[]>();
  collectConditions(filter, conditions);
  if (conditions.size === 0) return { kind: 'scan' };
  let best: { score: number; index: CollectionIndex; bounds: Bounds; prefixes: unknown[][] } | undefined;
  for (const index of indexes) {
    if (!index.complete) continue;
    const conds = conditions.get(index.fields[0]!);
    if (!conds) continue;
    const bounds = boundsFor(conds);
    if (!bounds) continue;
    const isPoint = 'points' in bounds;
    const prefixes = isPoint ? equalityPrefixes(index, bounds.points, conditions) : [];
    const pinned = prefixes[0]?.length ?? 0;
    const score =
      (isPoint ? 10 : 1) +
      // Each further field pinned by equality narrows a compound index, as MongoDB's index bounds do.
      10 * Math.max(0, pinned - 1) +
      (index.unique ? 5 : 0) +
      (index.name === '_id_' ? 1 : 0) +
      (isPoint && bounds.points.length === 1 ? 2 : 0);
    if (!best || score > best.score) best = { score, index, bounds, prefixes };
  }
  if (!best) return { kind: 'scan' };
  const { index, bounds, prefixes } = best;
  if ('points' in bounds) {
    if (index.name === '_id_') {
      const ids: string[] = [];
      const seen = new Set<string>();
      for (const p of bounds.points) {
        const id = encodeKey(p);
        if (!seen.has(id) && hasId(id)) ids.push(id);
        seen.add(id);
      }
      return { kind: 'ids', index: index.name, ids };
    }
    const ids = new Set<string>();
    index.idsForPrefixes(prefixes, ids);
    return { kind: 'ids', index: index.name, ids };
  }
  // A range on _id walks its ordered tree, which the index builds the first time it is needed.
  if (index.multikey && bounds.lo && bounds.hi) bounds.hi = undefined;
  const ref = bounds.lo?.[0] ?? bounds.hi?.[0];
  const rank = typeRank(ref);
  const lo = bounds.lo ? [bounds.lo[0]] : [new KeyBound(rank, false)];
  const hi = bounds.hi ? [bounds.hi[0], new KeyBound(Infinity, true)] : [new KeyBound(rank, true)];
  const ids = new Set<string>();
  index.idsInRange(lo, hi, ids, bounds.lo ? !bounds.lo[1] : false, bounds.hi ? !bounds.hi[1] : false);
  return { kind: 'ids', index: index.name, ids };
}
