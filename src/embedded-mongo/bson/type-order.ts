/**
 * Which BSON type a value in memory has, and MongoDB's order of types. Documents in memory hold plain
 * JS numbers for int32 values and for doubles that are not integers in the int32 range, `Double` objects
 * for the doubles that are (so they keep their type on the way out), and bson Long / Decimal128 objects.
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

const RANK_OF_BSON_TYPE: Record<string, number> = {
  Long: TypeRank.Number,
  Decimal128: TypeRank.Number,
  Int32: TypeRank.Number,
  Double: TypeRank.Number,
  BSONSymbol: TypeRank.String,
  ObjectId: TypeRank.ObjectId,
  Binary: TypeRank.BinData,
  Timestamp: TypeRank.Timestamp,
  BSONRegExp: TypeRank.Regex,
  MinKey: TypeRank.MinKey,
  MaxKey: TypeRank.MaxKey,
  DBRef: TypeRank.Object,
};

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
  const tag = (v as BsonTagged)._bsontype;
  if (tag === undefined) return TypeRank.Object;
  return RANK_OF_BSON_TYPE[tag] ?? TypeRank.Other;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A plain number that BSON stores as int32: an integer in range that is not -0 (a double). */
export function isInt32(v: unknown): v is number {
  return (
    typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0)
  );
}

const NAME_OF_BSON_TYPE: Record<string, string> = {
  Double: 'double',
  Int32: 'int',
  Long: 'long',
  Decimal128: 'decimal',
  ObjectId: 'objectId',
  Binary: 'binData',
  Timestamp: 'timestamp',
  BSONRegExp: 'regex',
  BSONSymbol: 'symbol',
  Code: 'javascript',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
};

/** The name MongoDB's messages give a value's type: 'int', 'double', 'string', 'array', 'object'... */
export function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return isInt32(v) ? 'int' : 'double';
    case 'bigint':
      return 'long';
    default:
      break;
  }
  const tag = bsonTypeOf(v);
  return tag === undefined ? 'object' : (NAME_OF_BSON_TYPE[tag] ?? tag);
}
