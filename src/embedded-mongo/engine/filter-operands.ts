import type { AnyObject } from 'mingo/types';
import { regexParts } from '../bson/compare-values.js';
import { isPlainDocument, setOwnField } from '../bson/own-fields.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { isRegex } from './regex-engine.js';

/**
 * A filter's operands as the store evaluates them, before the query library (mingo) parses it:
 *  - a DBRef ({$ref, $id}) is a document to compare with, as MongoDB takes any condition holding
 *    both, not two unknown operators;
 *  - a regular expression (a value, or $regex with $options) becomes the store's own operator,
 *    holding pattern and options as strings: mingo would build a JavaScript RegExp from it, which
 *    has no x option and would drop BSON options it does not know.
 */

export const STORE_REGEX = '$storeRegex';

function regexCondition(pattern: string, options: string): AnyObject {
  return { [STORE_REGEX]: [pattern, options] };
}

function condition(cond: unknown): unknown {
  if (isRegex(cond)) return regexCondition(...regexParts(cond));
  if (!isPlainDocument(cond)) return cond;
  if ('$ref' in cond && '$id' in cond) return { $eq: cond };
  if (!Object.keys(cond).some((key) => key.startsWith('$'))) return cond;
  if ('$options' in cond && !('$regex' in cond)) {
    throw new MongoCommandError(ErrorCodes.BadValue, '$options needs a $regex');
  }
  const out: AnyObject = {};
  for (const [op, arg] of Object.entries<unknown>(cond)) {
    if (op === '$options') continue;
    if (op === '$regex') {
      const [pattern, own] = typeof arg === 'string' ? [arg, ''] : regexParts(arg);
      const options = typeof cond.$options === 'string' ? cond.$options : own;
      Object.assign(out, regexCondition(pattern, options));
    } else setOwnField(out, op, op === '$not' ? condition(arg) : arg);
  }
  return out;
}

export function literalOperands(filter: AnyObject): AnyObject {
  const out: AnyObject = {};
  for (const [key, cond] of Object.entries<unknown>(filter)) {
    if (Array.isArray(cond) && (key === '$and' || key === '$or' || key === '$nor')) {
      out[key] = cond.map((clause: unknown) => (isPlainDocument(clause) ? literalOperands(clause) : clause));
    } else setOwnField(out, key, key.startsWith('$') ? cond : condition(cond));
  }
  return out;
}
