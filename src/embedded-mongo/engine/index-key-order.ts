import { compareValues } from '../bson/compare-values.js';
import { typeRank } from '../bson/type-order.js';

/**
 * The order of an index's key tuples: MongoDB's order of values, part by part, with bounds that sort
 * below or above every value of one BSON type (or of all types), so a range scan can start and stop.
 */
export class KeyBound {
  constructor(
    readonly rank: number,
    readonly high: boolean,
  ) {}
}
export const LOWEST = new KeyBound(-Infinity, false);
export const HIGHEST = new KeyBound(Infinity, true);

export function compareKeyPart(a: unknown, b: unknown): number {
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
