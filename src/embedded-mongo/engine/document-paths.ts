import { ownField } from '../bson/own-fields.js';
import { typeRank, TypeRank } from '../bson/type-order.js';

/**
 * Reading a dotted path in a document as MongoDB does: through arrays (each document element is
 * searched in turn, a numeric part picks an element), and only ever through the document's own fields.
 */

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
