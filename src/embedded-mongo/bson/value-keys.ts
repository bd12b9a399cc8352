import type { Long } from 'bson';
import { bytesOf, regexParts, subtypeOf } from './compare-values.js';
import { canonicalNumber } from './number-order.js';
import { TypeRank, typeRank } from './type-order.js';

/**
 * A string that is equal for two values exactly when MongoDB considers them equal, so it can key a
 * Map (document ids, distinct, hash lookups). 1, Long(1), Decimal128('1.0') share one key.
 */
const part = (s: string): string => `${s.length}:${s}`;

export function encodeKey(v: unknown): string {
  // The commonest keys first, without the type dispatch below (same keys as it gives).
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return 'n' + String(v === 0 ? 0 : v);
  switch (typeRank(v)) {
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
    // Each part of an array or document is prefixed by its length, so no string inside can be read as
    // a separator: ['p,sq', 'r'] and ['p', 'q,sr'] once shared a key, and an index lost one of them.
    case TypeRank.Array:
      return 'A' + (v as unknown[]).map((x) => part(encodeKey(x))).join('');
    case TypeRank.Object: {
      const o = v as Record<string, unknown>;
      return (
        'O' +
        Object.keys(o)
          .map((k) => part(k) + part(encodeKey(o[k])))
          .join('')
      );
    }
    default:
      return '?' + String(v);
  }
}
