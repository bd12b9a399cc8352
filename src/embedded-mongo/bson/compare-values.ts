import type { Long } from 'bson';
import { cmpDouble, compareNumbers } from './number-order.js';
import { TypeRank, typeRank } from './type-order.js';

/** MongoDB's comparison of any two values: by type order first, then within the type. */

export function cmpPrim<T extends string | number | bigint | boolean>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return (v as { buffer: Uint8Array }).buffer;
}

export function subtypeOf(v: unknown): number {
  return v instanceof Uint8Array ? 0 : (v as { sub_type: number }).sub_type;
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return cmpPrim(a.length, b.length);
}

export function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as { pattern: string; options: string };
  return [r.pattern, r.options];
}

function compareBinary(a: unknown, b: unknown): number {
  const ba = bytesOf(a);
  const bb = bytesOf(b);
  if (ba.length !== bb.length) return ba.length < bb.length ? -1 : 1;
  return cmpPrim(subtypeOf(a), subtypeOf(b)) || cmpBytes(ba, bb);
}

function compareArrays(xa: unknown[], xb: unknown[]): number {
  const n = Math.min(xa.length, xb.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(xa[i], xb[i]);
    if (c !== 0) return c;
  }
  return cmpPrim(xa.length, xb.length);
}

/** Compares two values in MongoDB's order (arrays compared element-wise, as values). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case TypeRank.Null:
    case TypeRank.MinKey:
    case TypeRank.MaxKey:
      return 0;
    case TypeRank.Number:
      return compareNumbers(a, b);
    case TypeRank.String:
      return compareStrings(String(a), String(b));
    case TypeRank.Boolean:
      return cmpPrim(a as boolean, b as boolean);
    case TypeRank.Date:
      return cmpDouble((a as Date).getTime(), (b as Date).getTime());
    case TypeRank.ObjectId:
      return cmpBytes((a as { id: Uint8Array }).id, (b as { id: Uint8Array }).id);
    case TypeRank.Timestamp:
      return cmpPrim((a as Long).toBigInt(), (b as Long).toBigInt());
    case TypeRank.BinData:
      return compareBinary(a, b);
    case TypeRank.Regex: {
      const [sa, fa] = regexParts(a);
      const [sb, fb] = regexParts(b);
      return cmpPrim(sa, sb) || cmpPrim(fa, fb);
    }
    case TypeRank.Array:
      return compareArrays(a as unknown[], b as unknown[]);
    case TypeRank.Object:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    default:
      return cmpPrim(String(a), String(b));
  }
}

/**
 * MongoDB compares strings by their UTF-8 bytes, which is code point order. JavaScript's < compares
 * UTF-16 code units, which differs once a surrogate pair (above U+FFFF: emoji, rare scripts) meets a
 * unit from U+E000-U+FFFF (Arabic presentation forms, CJK compatibility...): the pair's units are
 * lower although its code point is higher. Only the first differing unit decides, and there the
 * classic fix-up moves surrogates above the rest.
 */
const BEYOND_SURROGATES = /[\uD800-\uFFFF]/;

export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Unless both strings hold units from U+D800 up, the first difference is decided the same way in
  // either order, and the engine's native comparison is much faster than the loop below.
  if (!BEYOND_SURROGATES.test(a) || !BEYOND_SURROGATES.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]!];
    const vb = b[kb[i]!];
    const tr = cmpPrim(typeRank(va), typeRank(vb));
    if (tr !== 0) return tr;
    const kc = compareStrings(ka[i]!, kb[i]!);
    if (kc !== 0) return kc;
    const vc = compareValues(va, vb);
    if (vc !== 0) return vc;
  }
  return cmpPrim(ka.length, kb.length);
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return compareValues(a, b) === 0;
}
