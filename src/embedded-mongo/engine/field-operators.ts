import { Long, Timestamp, type Document } from 'bson';
import { compareValues } from '../bson/compare-values.js';
import { cloneDoc } from '../bson/own-fields.js';
import { combineNumbers, zeroLike } from '../bson/numbers.js';
import { shellFormat } from '../bson/shell-format.js';
import { bsonTypeOf, isNumeric } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { getChild, getPath, setPath, unsetPath } from './update-paths.js';

/**
 * The update operators on one field: $set, $unset, $inc, $mul, $min, $max, $bit and $rename, with
 * MongoDB's type rules (int, long, double and decimal results as MongoDB widens them).
 */

export type FieldOperator = (doc: Document, path: string, arg: unknown) => void;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return bsonTypeOf(v)?.toLowerCase() ?? typeof v;
}

function arithmetic(name: '$inc' | '$mul', verb: string, op: 'add' | 'multiply'): FieldOperator {
  return (doc, path, amount) => {
    if (!isNumeric(amount)) {
      throw new MongoCommandError(
        ErrorCodes.TypeMismatch,
        `Cannot ${verb} with non-numeric argument: {${path}: ${shellFormat(amount)}}`,
      );
    }
    const current = getPath(doc, path);
    if (current !== undefined && !isNumeric(current)) {
      throw new MongoCommandError(
        ErrorCodes.TypeMismatch,
        `Cannot apply ${name} to a value of non-numeric type. {_id: ${shellFormat(doc._id)}} has the field '${path}' of non-numeric type ${typeName(current)}`,
      );
    }
    const start = current ?? (op === 'add' ? 0 : zeroLike(amount));
    setPath(doc, path, current === undefined && op === 'add' ? amount : combineNumbers(start, amount, op));
  };
}

function extreme(sign: 1 | -1): FieldOperator {
  return (doc, path, value) => {
    const current = getPath(doc, path);
    if (current === undefined || compareValues(value, current) * sign > 0)
      setPath(doc, path, cloneDoc(value));
  };
}

const BIT_OPS = {
  and: (a: bigint, b: bigint) => a & b,
  or: (a: bigint, b: bigint) => a | b,
  xor: (a: bigint, b: bigint) => a ^ b,
};

function integral(v: unknown): bigint | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return bsonTypeOf(v) === 'Long' ? (v as Long).toBigInt() : undefined;
}

const $bit: FieldOperator = (doc, path, spec) => {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || Object.keys(spec).length === 0) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `The $bit modifier is not compatible with a ${typeName(spec)}. You must pass in an embedded document: {${path}: ${shellFormat(spec)}}`,
    );
  }
  const current = getPath(doc, path);
  let value = current === undefined ? 0n : integral(current);
  if (value === undefined) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `Cannot apply $bit to a value of non-integral type.{_id: ${shellFormat(doc._id)}} has the field ${path} of non-integer type ${typeName(current)}`,
    );
  }
  let long = bsonTypeOf(current) === 'Long';
  for (const [name, operand] of Object.entries(spec as Document) as [string, unknown][]) {
    const apply = BIT_OPS[name as keyof typeof BIT_OPS] as ((a: bigint, b: bigint) => bigint) | undefined;
    const bits = integral(operand);
    if (!apply || bits === undefined) {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        `The $bit modifier only supports 'and', 'or', and 'xor' with an int or long value: ${shellFormat({ [name]: operand })}`,
      );
    }
    long ||= bsonTypeOf(operand) === 'Long';
    value = apply(value, bits);
  }
  setPath(doc, path, long ? Long.fromBigInt(BigInt.asIntN(64, value)) : Number(BigInt.asIntN(32, value)));
};

function throughArray(doc: Document, path: string): boolean {
  let cur: unknown = doc;
  for (const part of path.split('.').slice(0, -1)) {
    if (Array.isArray(cur)) return true;
    if (cur === null || typeof cur !== 'object') return false;
    cur = getChild(cur as Document, part);
  }
  return Array.isArray(cur);
}

/** $rename moves a field: the source is unset and the target set, neither of them inside an array. */
const $rename: FieldOperator = (doc, from, to) => {
  if (typeof to !== 'string') {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `The 'to' field for $rename must be a string: ${from}: ${shellFormat(to)}`,
    );
  }
  for (const [which, path] of [
    ['source', from],
    ['destination', to],
  ] as const) {
    if (throughArray(doc, path)) {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        `The ${which} field cannot be an array element, '${path}' in doc with _id: ${shellFormat(doc._id)} has an array field`,
      );
    }
  }
  const value = getPath(doc, from);
  if (value === undefined) return;
  unsetPath(doc, from);
  setPath(doc, to, value);
};

let timestampIncrement = 0;

/** $currentDate: a Date, or a Timestamp when {$type: 'timestamp'} asks for one. */
const $currentDate: FieldOperator = (doc, path, spec) => {
  const type: unknown = spec !== null && typeof spec === 'object' ? (spec as Document).$type : undefined;
  const now = new Date();
  if (spec === true || type === 'date') return setPath(doc, path, now);
  if (type !== 'timestamp') {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      "$currentDate: expected a boolean or {$type: 'date'} or {$type: 'timestamp'}",
    );
  }
  timestampIncrement = (timestampIncrement + 1) % 0x7fffffff;
  setPath(doc, path, new Timestamp({ t: Math.floor(now.getTime() / 1000), i: timestampIncrement }));
};

export const fieldOperators: Record<string, FieldOperator> = {
  $set: (doc, path, value) => setPath(doc, path, cloneDoc(value)),
  $unset: (doc, path) => unsetPath(doc, path),
  $inc: arithmetic('$inc', 'increment', 'add'),
  $mul: arithmetic('$mul', 'multiply', 'multiply'),
  $min: extreme(-1),
  $max: extreme(1),
  $bit,
  $rename,
  $currentDate,
};
