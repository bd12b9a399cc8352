import type { BSONRegExp, Double } from 'bson';
import { isPlainDocument, setOwnField } from './own-fields.js';
import { bsonTypeOf } from './type-order.js';

/**
 * The query library (mingo) knows numbers only as JS numbers and regular expressions only as JS
 * RegExps, while documents in memory keep integral doubles as `Double` objects and regular
 * expressions as `BSONRegExp` (decode-document.ts), each exactly as the client sent it. Whatever
 * mingo evaluates (aggregation inputs and pipelines, $expr, projection expressions, pipeline updates)
 * goes through here first; the store's own predicates, sort, index keys and operators take both forms.
 */

/** A BSON regex as JavaScript's engine takes it: the flags JavaScript has (i, m, s), no others. */
export function toJsRegExp(re: BSONRegExp): RegExp {
  return new RegExp(re.pattern, re.options.replace(/[^ims]/g, ''));
}

function convert(v: unknown, regexes: boolean): unknown {
  if (v === null || typeof v !== 'object') return v;
  const tag = bsonTypeOf(v);
  if (tag === 'Double') return (v as Double).value;
  if (tag === 'BSONRegExp' && regexes) return toJsRegExp(v as BSONRegExp);
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const c = convert(v[i], regexes);
      if (c !== v[i]) (copy ??= v.slice())[i] = c;
    }
    return copy ?? v;
  }
  if (!isPlainDocument(v)) return v;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(v)) {
    const value = v[key];
    const c = convert(value, regexes);
    // Spreading keeps an own __proto__ field as a field.
    if (c !== value) setOwnField((copy ??= { ...v }), key, c);
  }
  return copy ?? v;
}

/** `v` itself when it holds no `Double` or `BSONRegExp`, otherwise a copy with JS values in their place. */
export function plainValues<T>(v: T): T {
  return convert(v, true) as T;
}

/**
 * A filter for mingo's query parser: Doubles as numbers, regular expressions left as they are, since
 * every query operator that takes one is the store's own and keeps all of its options.
 */
export function plainFilter<T>(filter: T): T {
  return convert(filter, false) as T;
}

const plainOfStored = new WeakMap<object, unknown>();

/**
 * plainValues for a stored document, remembered per document: stored documents are never changed in
 * place, so a collection aggregated again pays nothing.
 */
export function plainDocument<T extends object>(doc: T): T {
  let plain = plainOfStored.get(doc) as T | undefined;
  if (plain === undefined) {
    plain = plainValues(doc);
    plainOfStored.set(doc, plain);
  }
  return plain;
}

/**
 * Puts the `Double`s of `original` back wherever `result`, computed by mingo from its plain copy, still
 * holds the same number in the same place: the fields a pipeline update left alone keep their type.
 */
export function restoreDoubles(original: unknown, result: unknown): unknown {
  if (bsonTypeOf(original) === 'Double') return result === (original as Double).value ? original : result;
  if (Array.isArray(original) && Array.isArray(result)) {
    const n = Math.min(original.length, result.length);
    for (let i = 0; i < n; i++) result[i] = restoreDoubles(original[i], result[i]);
    return result;
  }
  if (isPlainDocument(original) && isPlainDocument(result)) {
    for (const key of Object.keys(result)) {
      if (Object.hasOwn(original, key)) setOwnField(result, key, restoreDoubles(original[key], result[key]));
    }
  }
  return result;
}
