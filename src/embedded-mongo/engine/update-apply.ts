import { ObjectId, Timestamp, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { AnyObject } from 'mingo/types';
import { addNumbers, bsonTypeOf, cloneDoc, encodeKey, isNumeric, valuesEqual } from './bson-values.js';
import { compileElemMatch } from './query-predicates.js';
import { baseOptions, makeAggregator } from './mingo-context.js';
import { hasPositionalPaths, resolvePositionalPaths } from './positional-paths.js';
import { tryFastUpdate } from './fast-update.js';
import { shellFormat } from './shell-format.js';

/**
 * Applying one update (operator document, replacement, or pipeline) to a copy of a stored document,
 * with what mingo lacks: $setOnInsert, upsert seeding, _id immutability, Long/Decimal128 $inc.
 */

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

export function updateKind(u: Document | Document[]): UpdateKind {
  if (Array.isArray(u)) return 'pipeline';
  const keys = Object.keys(u);
  if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) return 'operators';
  if (keys.some((k) => k.startsWith('$'))) {
    throw new MongoCommandError(ErrorCodes.FailedToParse, 'Update document cannot mix operators and fields');
  }
  return 'replacement';
}

function immutableIdError(): MongoCommandError {
  return new MongoCommandError(
    ErrorCodes.ImmutableField,
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

function touchesId(path: string): boolean {
  return path === '_id' || path.startsWith('_id.');
}

function getPath(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]!];
    if (next === null || typeof next !== 'object') cur[parts[i]!] = {};
    cur = cur[parts[i]!] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function translateMingoError(e: unknown): never {
  if (e instanceof MongoCommandError) throw e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/immutable field/.test(msg)) throw immutableIdError();
  if (/conflict/.test(msg)) throw new MongoCommandError(ErrorCodes.ConflictingUpdateOperators, msg);
  if (/non-numeric/.test(msg)) throw new MongoCommandError(ErrorCodes.TypeMismatch, msg);
  if (/Unknown update operator/.test(msg)) throw new MongoCommandError(ErrorCodes.FailedToParse, msg);
  throw new MongoCommandError(ErrorCodes.BadValue, msg);
}

function needsCondition(modifier: Document): boolean {
  for (const expr of Object.values(modifier)) {
    if (expr && typeof expr === 'object') {
      for (const path of Object.keys(expr as object))
        if (path === '$' || path.includes('.$.') || path.endsWith('.$')) return true;
    }
  }
  return false;
}

/**
 * Returns the updated copy of `doc` (the stored object is never touched). `isInsert` is true when the
 * document is being created by an upsert, which activates $setOnInsert.
 */
export function applyUpdate(
  doc: Document,
  u: Document | Document[],
  condition: Document,
  arrayFilters: Document[] | undefined,
  isInsert: boolean,
): Document {
  const kind = updateKind(u);
  const idKey = encodeKey(doc._id);
  if (kind === 'replacement') {
    const replacement = u as Document;
    if ('_id' in replacement && doc._id !== undefined && encodeKey(replacement._id) !== idKey)
      throw immutableIdError();
    const out: Document = { _id: (doc._id ?? replacement._id) as unknown };
    for (const [k, v] of Object.entries(replacement)) if (k !== '_id') out[k] = cloneDoc(v as unknown);
    if (out._id === undefined) delete out._id;
    return out;
  }
  const copy = cloneDoc(doc);
  if (kind === 'pipeline')
    return applyPipelineUpdate(copy, u as Document[], doc._id === undefined ? undefined : idKey);
  const modifier = prepareModifier(
    copy,
    u,
    isInsert,
    doc._id !== undefined ? idKey : undefined,
    condition,
    arrayFilters,
  );
  if (Object.keys(modifier).length > 0 && !tryFastUpdate(copy, modifier)) {
    try {
      mingoUpdate(copy, modifier as never, arrayFilters, needsCondition(modifier) ? condition : undefined, {
        cloneMode: 'copy',
        queryOptions: baseOptions,
      });
    } catch (e) {
      translateMingoError(e);
    }
  }
  return copy;
}

const UPDATE_PIPELINE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

/**
 * An update given as a pipeline: the stages run over the one document, as an aggregation would.
 * (mingo's updater could not tell which fields a $replaceWith changed and refused it.)
 */
function applyPipelineUpdate(copy: Document, pipeline: Document[], idKey: string | undefined): Document {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0] ?? '';
    if (!UPDATE_PIPELINE_STAGES.has(name)) {
      throw new MongoCommandError(
        ErrorCodes.InvalidOptions,
        `${name} is not allowed to be used within an update`,
      );
    }
  }
  const [result] = makeAggregator(pipeline, {}).run<Document>([copy]);
  if (!result) throw new MongoCommandError(ErrorCodes.BadValue, 'the update pipeline produced no document');
  if (idKey === undefined) return result;
  if (result._id === undefined) return { _id: copy._id as unknown, ...result };
  if (encodeKey(result._id) !== idKey) throw immutableIdError();
  return result;
}

let timestampIncrement = 0;

/** $currentDate as $set: a Date, or a Timestamp when {$type: 'timestamp'} asks for one (mingo stored a number). */
function currentDateValues(spec: Document): Document {
  const now = new Date();
  const out: Document = {};
  for (const [path, value] of Object.entries(spec)) {
    const type: unknown = value !== null && typeof value === 'object' ? (value as Document).$type : undefined;
    if (value === true || type === 'date') out[path] = now;
    else if (type === 'timestamp') {
      timestampIncrement = (timestampIncrement + 1) % 0x7fffffff;
      out[path] = new Timestamp({ t: Math.floor(now.getTime() / 1000), i: timestampIncrement });
    } else {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        "$currentDate: expected a boolean or {$type: 'date'} or {$type: 'timestamp'}",
      );
    }
  }
  return out;
}

/**
 * Rewrites the operator document into what mingo can apply: $setOnInsert folded into $set (or dropped),
 * an unchanged _id removed from $set, and $inc on Long/Decimal128 computed here and turned into $set.
 * Mutates `copy` for the fields it computes itself.
 */
function prepareModifier(
  copy: Document,
  u: Document,
  isInsert: boolean,
  idKey: string | undefined,
  condition: Document,
  arrayFilters: Document[] | undefined,
): Document {
  const out: Document = {};
  for (const expr of Object.values(u)) {
    if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) {
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        `Modifiers operate on fields but we found type ${typeof expr} instead`,
      );
    }
  }
  checkPaths(u);
  for (const [op, expr] of Object.entries(u)) {
    if (op === '$setOnInsert') {
      if (isInsert) out.$set = { ...(out.$set as Document | undefined), ...(expr as Document) };
      continue;
    }
    if (op === '$currentDate') {
      out.$set = { ...(out.$set as Document | undefined), ...currentDateValues(expr as Document) };
      continue;
    }
    out[op] =
      op === '$set'
        ? { ...(out.$set as Document | undefined), ...(expr as Document) }
        : { ...(expr as Document) };
  }
  for (const [op, expr] of Object.entries(out)) {
    const fields = expr as Document;
    for (const path of Object.keys(fields)) {
      if (op === '$rename' && touchesId(String(fields[path]))) throw immutableIdError();
      if (!touchesId(path)) continue;
      if (op === '$set' && path === '_id' && (idKey === undefined || encodeKey(fields[path]) === idKey)) {
        if (idKey === undefined) copy._id = fields[path] as unknown;
        delete fields[path];
        continue;
      }
      throw immutableIdError();
    }
    if (Object.keys(fields).length === 0) delete out[op];
  }
  const modifier = hasPositionalPaths(out) ? resolvePositionalPaths(copy, out, condition, arrayFilters) : out;
  checkArrayTargets(copy, modifier);
  applyPulls(copy, modifier);
  const inc = modifier.$inc as Document | undefined;
  if (inc) {
    for (const path of Object.keys(inc)) {
      if (path.includes('$')) continue;
      const amount = inc[path] as unknown;
      if (!isNumeric(amount))
        throw new MongoCommandError(ErrorCodes.TypeMismatch, 'Cannot increment with non-numeric argument');
      const current = getPath(copy, path);
      if (current !== undefined && !isNumeric(current)) {
        throw new MongoCommandError(
          ErrorCodes.TypeMismatch,
          `Cannot apply $inc to a value of non-numeric type. {_id: ${String(copy._id)}} has the field '${path}' of non-numeric type ${typeof current}`,
        );
      }
      const special = typeof amount !== 'number' || (current !== undefined && typeof current !== 'number');
      if (!special) continue;
      setPath(copy, path, addNumbers(current ?? 0, amount));
      delete inc[path];
    }
    if (Object.keys(inc).length === 0) delete modifier.$inc;
  }
  return modifier;
}

/**
 * $pull computed here: a condition is a query on each element (a document element is matched as a
 * document, so {$or: [...]} or {name: 'x'} works and extra fields do not matter; a scalar element is
 * matched against operators such as {$gte: 6}); any other value removes the equal elements. mingo
 * missed elements under $or and documents with fields beyond the condition's.
 */
function applyPulls(copy: Document, modifier: Document): void {
  const pulls = modifier.$pull as Document | undefined;
  if (!pulls) return;
  for (const path of Object.keys(pulls)) {
    const current = getPath(copy, path);
    if (Array.isArray(current)) {
      const matches = pullMatcher(pulls[path] as unknown);
      setPath(
        copy,
        path,
        (current as unknown[]).filter((element) => !matches(element)),
      );
    }
    delete pulls[path];
  }
  delete modifier.$pull;
}

function pullMatcher(condition: unknown): (element: unknown) => boolean {
  if (condition instanceof RegExp) return (element) => typeof element === 'string' && condition.test(element);
  const isQuery =
    condition !== null &&
    typeof condition === 'object' &&
    !Array.isArray(condition) &&
    Object.getPrototypeOf(condition) === Object.prototype;
  if (!isQuery) return (element) => valuesEqual(element, condition);
  return compileElemMatch(condition as AnyObject, baseOptions);
}

function checkFieldPath(path: string): void {
  if (path === '')
    throw new MongoCommandError(ErrorCodes.EmptyFieldName, 'An empty update path is not valid.');
  if (path.split('.').includes('')) {
    throw new MongoCommandError(
      ErrorCodes.EmptyFieldName,
      `The update path '${path}' contains an empty field name, which is not allowed.`,
    );
  }
}

/** True when one path is the other or lies inside it ('a' and 'a.b', not 'a' and 'ab'). */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * Checks every path of an operator document the way MongoDB does before applying anything: an empty
 * field name would otherwise be stored as a '' key (and 'a.' silently replaced all of 'a'), and two
 * operators naming overlapping paths ($set a with $inc a, $set a with $setOnInsert a.b) were applied
 * one after the other, the last silently winning, where MongoDB refuses the whole update (40).
 */
function checkPaths(u: Document): void {
  const seen: string[] = [];
  const claim = (path: string): void => {
    const clash = seen.find((other) => overlaps(other, path));
    if (clash !== undefined) {
      throw new MongoCommandError(
        ErrorCodes.ConflictingUpdateOperators,
        `Updating the path '${path}' would create a conflict at '${clash.length < path.length ? clash : path}'`,
      );
    }
    seen.push(path);
  };
  for (const [op, expr] of Object.entries(u)) {
    for (const [path, value] of Object.entries(expr as Document)) {
      checkFieldPath(path);
      if (op === '$rename') {
        if (typeof value !== 'string') continue; // mingo reports the type error
        checkFieldPath(value);
        if (value === path) {
          throw new MongoCommandError(
            ErrorCodes.BadValue,
            `The source and target field for $rename must differ: ${path}: "${value}"`,
          );
        }
        if (overlaps(path, value)) {
          throw new MongoCommandError(
            ErrorCodes.BadValue,
            `The source and target field for $rename must not be on the same path: ${path}: "${value}"`,
          );
        }
        claim(value);
      }
      claim(path);
    }
  }
}

const ARRAY_OPERATORS = ['$push', '$addToSet', '$pull', '$pullAll', '$pop'];

/** mingo silently skips array operators on a non-array field; MongoDB fails the update (BadValue). */
function checkArrayTargets(doc: Document, modifier: Document): void {
  for (const op of ARRAY_OPERATORS) {
    const fields = modifier[op] as Document | undefined;
    if (!fields) continue;
    for (const path of Object.keys(fields)) {
      if (path.includes('$')) continue;
      const current = getPath(doc, path);
      if (current === undefined || current === null || Array.isArray(current)) {
        if (current === null && (op === '$push' || op === '$addToSet'))
          throw notAnArray(op, path, 'null', doc);
        continue;
      }
      throw notAnArray(op, path, typeof current, doc);
    }
  }
}

function notAnArray(op: string, path: string, type: string, doc: Document): MongoCommandError {
  const action =
    op === '$push' || op === '$addToSet'
      ? `The field '${path}' must be an array but is of type ${type}`
      : `Cannot apply ${op} to a non-array value`;
  return new MongoCommandError(ErrorCodes.BadValue, `${action} in document {_id: ${shellFormat(doc._id)}}`);
}

function isPlainEquality(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || bsonTypeOf(v) !== undefined) return true;
  if (v instanceof Date || v instanceof RegExp) return !(v instanceof RegExp);
  return !Object.keys(v).some((k) => k.startsWith('$'));
}

/** The document an upsert starts from: the filter's equality conditions as (nested) fields. */
export function seedFromFilter(filter: Document, into: Document = {}): Document {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const clause of v) seedFromFilter(clause as Document, into);
      continue;
    }
    if (k.startsWith('$')) continue;
    if (isPlainEquality(v)) {
      if (!(v instanceof RegExp)) setPath(into, k, cloneDoc(v));
    } else if (v && typeof v === 'object' && '$eq' in v) {
      setPath(into, k, cloneDoc((v as Document).$eq));
    } else if (v && typeof v === 'object') {
      // MongoDB seeds from a one-value $in as from an equality.
      const list = (v as Document).$in as unknown;
      if (Array.isArray(list) && list.length === 1) setPath(into, k, cloneDoc(list[0] as unknown));
    }
  }
  return into;
}

/** Builds the document an upsert inserts. */
export function buildUpsertDoc(
  filter: Document,
  u: Document | Document[],
  arrayFilters: Document[] | undefined,
): Document {
  const kind = updateKind(u);
  if (kind === 'replacement') {
    const seed = seedFromFilter(filter);
    const doc = applyUpdate(
      { _id: (seed._id ?? (u as Document)._id) as unknown },
      u,
      filter,
      arrayFilters,
      true,
    );
    if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
    return doc;
  }
  const seed = seedFromFilter(filter);
  const hadId = seed._id !== undefined;
  const base: Document = hadId ? seed : { _id: undefined, ...seed };
  const doc = applyUpdate(base, u, {}, arrayFilters, true);
  if (doc._id === undefined) doc._id = new ObjectId();
  return doc;
}
