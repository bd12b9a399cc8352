import { valuesEqual } from '../bson/compare-values.js';
import { cloneDoc, isPlainDocument } from '../bson/own-fields.js';
import { bsonTypeName, bsonTypeOf } from '../bson/type-order.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { baseOptions } from './mingo-context.js';
import { compileElemMatch } from './elem-match.js';
import { compiledRegexOf, isRegex } from './regex-engine.js';
import { $push, badValue, currentArray, eachClause } from './push-operator.js';
import { getPath, setPath } from './update-paths.js';
import type { FieldOperator } from './field-operators.js';

/**
 * The update operators on arrays: $push (push-operator.ts), $addToSet, $pop, $pull and $pullAll.
 * update-checks.ts has already refused a target that is not an array.
 */

/**
 * Strings and ObjectIds, what sets mostly hold, as a key equal exactly when valuesEqual says so (a
 * symbol compares as the string it holds); other values have none and are compared one by one.
 */
function setKey(v: unknown): string | undefined {
  if (typeof v === 'string') return `s${v}`;
  const type = bsonTypeOf(v);
  if (type === 'ObjectId') return `o${(v as { toHexString(): string }).toHexString()}`;
  if (type === 'BSONSymbol') return `s${String((v as { value: unknown }).value)}`;
  return undefined;
}

const $addToSet: FieldOperator = (doc, path, value) => {
  const clause = eachClause('$addToSet', value, ['$each']);
  const array = currentArray(doc, path);
  // Looked up by key, so adding thousands of ids to an array of thousands (a training round's members)
  // costs their number, not its square.
  const keys = new Set<string>();
  for (const x of array) {
    const key = setKey(x);
    if (key !== undefined) keys.add(key);
  }
  for (const v of clause ? (clause.$each as unknown[]) : [value]) {
    const key = setKey(v);
    if (key !== undefined ? keys.has(key) : array.some((x) => valuesEqual(x, v))) continue;
    array.push(cloneDoc(v));
    if (key !== undefined) keys.add(key);
  }
  setPath(doc, path, array);
};

const $pop: FieldOperator = (doc, path, end) => {
  const n = typeof end === 'number' || bsonTypeOf(end) !== undefined ? Number(end) : NaN;
  if (n !== 1 && n !== -1)
    throw new MongoCommandError(ErrorCodes.FailedToParse, `$pop expects 1 or -1, found: ${String(end)}`);
  const array = getPath(doc, path);
  if (!Array.isArray(array) || array.length === 0) return;
  setPath(doc, path, n === 1 ? array.slice(0, -1) : array.slice(1));
};

/**
 * A $pull condition is a query on each element (a document element is matched as a document, so
 * {$or: [...]} or {name: 'x'} works and extra fields do not matter; a scalar element is matched
 * against operators such as {$gte: 6}); any other value removes the equal elements.
 */
function pullMatcher(condition: unknown): (element: unknown) => boolean {
  if (isRegex(condition)) {
    const regex = compiledRegexOf(condition);
    return (element) => typeof element === 'string' && regex.test(element);
  }
  if (!isPlainDocument(condition)) return (element) => valuesEqual(element, condition);
  return compileElemMatch(condition, baseOptions);
}

const $pull: FieldOperator = (doc, path, condition) => {
  const array = getPath(doc, path);
  if (!Array.isArray(array)) return;
  const matches = pullMatcher(condition);
  setPath(
    doc,
    path,
    array.filter((element) => !matches(element)),
  );
};

const $pullAll: FieldOperator = (doc, path, values) => {
  if (!Array.isArray(values))
    throw badValue(`$pullAll requires an array argument but was given a ${bsonTypeName(values)}`);
  const array = getPath(doc, path);
  if (!Array.isArray(array)) return;
  setPath(
    doc,
    path,
    array.filter((element) => !values.some((v) => valuesEqual(element, v))),
  );
};

export const arrayOperators: Record<string, FieldOperator> = { $push, $addToSet, $pop, $pull, $pullAll };
