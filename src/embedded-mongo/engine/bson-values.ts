import { Decimal128, Long } from 'bson';

/**
 * MongoDB's cross-type value semantics (comparison order, numeric equality across Int32/Double/Long/
 * Decimal128, canonical keys) which mingo does not implement. Documents in memory hold plain JS
 * numbers for int/double, and bson Long / Decimal128 objects for the other numeric types.
 */

interface BsonTagged {
  _bsontype?: string;
}

export function bsonTypeOf(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? (v as BsonTagged)._bsontype : undefined;
}

/** Canonical order of BSON types, as MongoDB compares values of different types. */
export const TypeRank = {
  MinKey: 1,
  Null: 2,
  Number: 3,
  String: 4,
  Object: 5,
  Array: 6,
  BinData: 7,
  ObjectId: 8,
  Boolean: 9,
  Date: 10,
  Timestamp: 11,
  Regex: 12,
  MaxKey: 13,
  Other: 14,
} as const;

export function isNumeric(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  const t = bsonTypeOf(v);
  return t === 'Long' || t === 'Decimal128' || t === 'Int32' || t === 'Double';
}

export function typeRank(v: unknown): number {
  if (v === null || v === undefined) return TypeRank.Null;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return TypeRank.Number;
    case 'string':
      return TypeRank.String;
    case 'boolean':
      return TypeRank.Boolean;
    case 'object':
      break;
    default:
      return TypeRank.Other;
  }
  if (Array.isArray(v)) return TypeRank.Array;
  if (v instanceof Date) return TypeRank.Date;
  if (v instanceof RegExp) return TypeRank.Regex;
  if (v instanceof Uint8Array) return TypeRank.BinData;
  switch ((v as BsonTagged)._bsontype) {
    case undefined:
      return TypeRank.Object;
    case 'Long':
    case 'Decimal128':
    case 'Int32':
    case 'Double':
      return TypeRank.Number;
    case 'BSONSymbol':
      return TypeRank.String;
    case 'ObjectId':
      return TypeRank.ObjectId;
    case 'Binary':
      return TypeRank.BinData;
    case 'Timestamp':
      return TypeRank.Timestamp;
    case 'BSONRegExp':
      return TypeRank.Regex;
    case 'MinKey':
      return TypeRank.MinKey;
    case 'MaxKey':
      return TypeRank.MaxKey;
    case 'DBRef':
      return TypeRank.Object;
    default:
      return TypeRank.Other;
  }
}

/** A numeric value as an exact integer when possible (bigint), otherwise a double. */
type Num = { int: bigint } | { dbl: number };

function toNum(v: unknown): Num {
  if (typeof v === 'number') return { dbl: v };
  if (typeof v === 'bigint') return { int: v };
  const t = bsonTypeOf(v);
  if (t === 'Long') return { int: (v as Long).toBigInt() };
  if (t === 'Int32' || t === 'Double') return { dbl: (v as { value: number }).value };
  if (t === 'Decimal128') {
    const s = (v as Decimal128).toString();
    if (/^-?\d+$/.test(s)) return { int: BigInt(s) };
    return { dbl: Number(s) };
  }
  return { dbl: NaN };
}

/** Numeric value as a JS double (lossy for huge Longs and precise decimals). */
export function toDouble(v: unknown): number {
  const n = toNum(v);
  return 'int' in n ? Number(n.int) : n.dbl;
}

function cmpIntDouble(i: bigint, d: number): number {
  if (Number.isNaN(d)) return 1;
  if (d === Infinity) return -1;
  if (d === -Infinity) return 1;
  const fl = Math.floor(d);
  const bf = BigInt(fl);
  if (i < bf) return -1;
  if (i > bf) return 1;
  return fl === d ? 0 : -1;
}

export function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return cmpDouble(a, b);
  const x = toNum(a);
  const y = toNum(b);
  if ('int' in x && 'int' in y) return x.int < y.int ? -1 : x.int > y.int ? 1 : 0;
  if ('dbl' in x && 'dbl' in y) return cmpDouble(x.dbl, y.dbl);
  if ('int' in x) return cmpIntDouble(x.int, (y as { dbl: number }).dbl);
  return -cmpIntDouble((y as { int: bigint }).int, x.dbl);
}

function cmpDouble(a: number, b: number): number {
  // MongoDB sorts NaN below every other number and treats NaN as equal to NaN.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpPrim<T extends string | number | bigint | boolean>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return (v as { buffer: Uint8Array }).buffer;
}

function subtypeOf(v: unknown): number {
  return v instanceof Uint8Array ? 0 : (v as { sub_type: number }).sub_type;
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return cmpPrim(a.length, b.length);
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as { pattern: string; options: string };
  return [r.pattern, r.options];
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
    case TypeRank.BinData: {
      const ba = bytesOf(a);
      const bb = bytesOf(b);
      if (ba.length !== bb.length) return ba.length < bb.length ? -1 : 1;
      const st = cmpPrim(subtypeOf(a), subtypeOf(b));
      return st !== 0 ? st : cmpBytes(ba, bb);
    }
    case TypeRank.Regex: {
      const [sa, fa] = regexParts(a);
      const [sb, fb] = regexParts(b);
      return cmpPrim(sa, sb) || cmpPrim(fa, fb);
    }
    case TypeRank.Array: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return cmpPrim(xa.length, xb.length);
    }
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

function canonicalNumber(v: unknown): string {
  const n = toNum(v);
  if ('int' in n) {
    const d = Number(n.int);
    return Number.isSafeInteger(d) ? String(d) : n.int.toString();
  }
  if (Number.isNaN(n.dbl)) return 'NaN';
  if (Number.isInteger(n.dbl) && !Number.isSafeInteger(n.dbl)) return BigInt(n.dbl).toString();
  return Object.is(n.dbl, -0) ? '0' : String(n.dbl);
}

/**
 * A string that is equal for two values exactly when MongoDB considers them equal, so it can key a
 * Map (document ids, distinct, hash lookups). 1, Long(1), Decimal128('1.0') share one key.
 */
export function encodeKey(v: unknown): string {
  const r = typeRank(v);
  switch (r) {
    case TypeRank.Null:
      return 'z';
    case TypeRank.MinKey:
      return '-';
    case TypeRank.MaxKey:
      return '~';
    case TypeRank.Number:
      return 'n' + canonicalNumber(v);
    case TypeRank.String:
      return 's' + String(v);
    case TypeRank.Boolean:
      return v ? 'b1' : 'b0';
    case TypeRank.Date:
      return 't' + String((v as Date).getTime());
    case TypeRank.ObjectId:
      return 'o' + (v as { toHexString(): string }).toHexString();
    case TypeRank.Timestamp:
      return 'T' + (v as Long).toBigInt().toString();
    case TypeRank.BinData:
      return 'x' + String(subtypeOf(v)) + ':' + Buffer.from(bytesOf(v)).toString('base64');
    case TypeRank.Regex: {
      const [s, f] = regexParts(v);
      return 'r/' + s + '/' + f;
    }
    case TypeRank.Array:
      return 'A[' + (v as unknown[]).map(encodeKey).join(',') + ']';
    case TypeRank.Object: {
      const o = v as Record<string, unknown>;
      return (
        'O{' +
        Object.keys(o)
          .map((k) => JSON.stringify(k) + ':' + encodeKey(o[k]))
          .join(',') +
        '}'
      );
    }
    default:
      return '?' + String(v);
  }
}

/**
 * Deep copy of a document's plain objects and arrays; bson value objects (ObjectId, Long, ...) are
 * immutable and shared. Dates are copied because Date is mutable.
 */
export function cloneDoc<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x: unknown) => cloneDoc(x)) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = cloneDoc((v as Record<string, unknown>)[k]);
  return out as T;
}

/** Adds two numbers keeping MongoDB's type widening: int/double + Long -> Long, anything + Decimal -> Decimal. */
export function addNumbers(a: unknown, b: unknown): unknown {
  const ta = bsonTypeOf(a);
  const tb = bsonTypeOf(b);
  if (ta === 'Decimal128' || tb === 'Decimal128') return decimalAdd(a, b);
  const aLongish = ta === 'Long' || typeof a === 'bigint';
  const bLongish = tb === 'Long' || typeof b === 'bigint';
  if (aLongish || bLongish) {
    const x = toNum(a);
    const y = toNum(b);
    const xi = 'int' in x ? x.int : Number.isInteger(x.dbl) ? BigInt(x.dbl) : undefined;
    const yi = 'int' in y ? y.int : Number.isInteger(y.dbl) ? BigInt(y.dbl) : undefined;
    if (xi === undefined || yi === undefined) return toDouble(a) + toDouble(b);
    return Long.fromBigInt(xi + yi);
  }
  return toDouble(a) + toDouble(b);
}

function decimalAdd(a: unknown, b: unknown): Decimal128 {
  const sa = decimalString(a);
  const sb = decimalString(b);
  return Decimal128.fromString(addDecimalStrings(sa, sb));
}

function decimalString(v: unknown): string {
  if (bsonTypeOf(v) === 'Decimal128') return (v as Decimal128).toString();
  const n = toNum(v);
  return 'int' in n ? n.int.toString() : String(n.dbl);
}

/** Exact decimal addition of two plain decimal strings (scientific notation is expanded first). */
export function addDecimalStrings(a: string, b: string): string {
  const pa = parseDecimal(a);
  const pb = parseDecimal(b);
  if (!pa || !pb) return String(Number(a) + Number(b));
  const scale = Math.max(pa.scale, pb.scale);
  const ia = pa.int * 10n ** BigInt(scale - pa.scale);
  const ib = pb.int * 10n ** BigInt(scale - pb.scale);
  const sum = ia + ib;
  const neg = sum < 0n;
  let digits = (neg ? -sum : sum).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (neg ? '-' : '') + digits;
}

function parseDecimal(s: string): { int: bigint; scale: number } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  let digits = (m[2] ?? '') + frac;
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const int = BigInt(digits === '' ? '0' : digits);
  return { int: m[1] === '-' ? -int : int, scale };
}
