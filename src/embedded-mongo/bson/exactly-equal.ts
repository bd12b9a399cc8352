import { bsonTypeOf } from './type-order.js';
import { encodeKey } from './value-keys.js';

/**
 * Equal values of the same BSON types, field order included: what MongoDB's update takes as "nothing
 * changed". Setting 5 (an int) over 5.0 (a double) changes the stored type, so it is a change, while
 * query equality (valuesEqual) holds them equal.
 */
export function exactlyEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const tag = bsonTypeOf(a);
  if (tag !== bsonTypeOf(b)) return false;
  if (tag !== undefined) return encodeKey(a) === encodeKey(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => exactlyEqual(x, b[i]));
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return ka.every((k, i) => k === kb[i] && exactlyEqual(x[k], y[k]));
}
