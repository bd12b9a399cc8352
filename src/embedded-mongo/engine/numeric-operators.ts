import { Long, type Document } from 'bson';
import { combineNumbers, zeroLike } from '../bson/number-arithmetic.js';
import { shellFormat } from '../bson/shell-format.js';
import { bsonTypeName, bsonTypeOf, isNumeric } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { FieldOperator } from './field-operators.js';
import { getPath, setPath } from './update-paths.js';

/**
 * $inc, $mul and $bit, with MongoDB's result types: int, long, double and decimal widened as MongoDB
 * widens them (an int that overflows becomes a long; anything with a double is a double).
 */

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
        `Cannot apply ${name} to a value of non-numeric type. {_id: ${shellFormat(doc._id)}} has the field '${path}' of non-numeric type ${bsonTypeName(current)}`,
      );
    }
    const start = current ?? (op === 'add' ? 0 : zeroLike(amount));
    setPath(doc, path, current === undefined && op === 'add' ? amount : combineNumbers(start, amount, op));
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
      `The $bit modifier is not compatible with a ${bsonTypeName(spec)}. You must pass in an embedded document: {${path}: ${shellFormat(spec)}}`,
    );
  }
  const current = getPath(doc, path);
  let value = current === undefined ? 0n : integral(current);
  if (value === undefined) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `Cannot apply $bit to a value of non-integral type.{_id: ${shellFormat(doc._id)}} has the field ${path} of non-integer type ${bsonTypeName(current)}`,
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

export const numericOperators: Record<string, FieldOperator> = {
  $inc: arithmetic('$inc', 'increment', 'add'),
  $mul: arithmetic('$mul', 'multiply', 'multiply'),
  $bit,
};
