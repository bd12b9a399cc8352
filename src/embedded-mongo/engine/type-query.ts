import { bsonTypeOf, isInt32, isNumeric, typeRank, TypeRank } from '../bson/type-order.js';
import type { QueryOp } from './query-predicates.js';
import { pathTest } from './query-paths.js';

/** $type by alias or number, as MongoDB names the BSON types (and 'number' for any of them). */

const typeChecks: Record<string, (v: unknown) => boolean> = {
  double: (v) => (typeof v === 'number' && !isInt32(v)) || bsonTypeOf(v) === 'Double',
  string: (v) => typeof v === 'string',
  object: (v) => typeRank(v) === TypeRank.Object,
  array: (v) => Array.isArray(v),
  binData: (v) => typeRank(v) === TypeRank.BinData,
  undefined: (v) => v === undefined,
  objectId: (v) => bsonTypeOf(v) === 'ObjectId',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => typeRank(v) === TypeRank.Regex,
  javascript: (v) => bsonTypeOf(v) === 'Code',
  int: (v) => isInt32(v) || bsonTypeOf(v) === 'Int32',
  timestamp: (v) => bsonTypeOf(v) === 'Timestamp',
  long: (v) => bsonTypeOf(v) === 'Long' || typeof v === 'bigint',
  decimal: (v) => bsonTypeOf(v) === 'Decimal128',
  minKey: (v) => bsonTypeOf(v) === 'MinKey',
  maxKey: (v) => bsonTypeOf(v) === 'MaxKey',
  number: (v) => isNumeric(v),
};

const typeCodes: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

function typeMatcher(spec: unknown): (v: unknown) => boolean {
  const names = (Array.isArray(spec) ? spec : [spec]).map((t) => {
    const name = typeof t === 'number' ? typeCodes[t] : String(t);
    const check = name === undefined ? undefined : typeChecks[name];
    if (!check) throw new Error(`Unknown type name alias: ${String(t)}`);
    return { name, check };
  });
  return (v) => names.some(({ check }) => check(v));
}

/** A missing value has no type; an array the path ends at is tested itself and by its elements. */
export const $type: QueryOp = (selector, value) => {
  const matches = typeMatcher(value);
  return pathTest(selector, true, (v) => v !== undefined && matches(v));
};
