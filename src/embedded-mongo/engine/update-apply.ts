import { ObjectId, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { addNumbers, bsonTypeOf, cloneDoc, encodeKey, isNumeric } from './bson-values.js';
import { baseOptions } from './mingo-context.js';
import { hasPositionalPaths, resolvePositionalPaths } from './positional-paths.js';
import { checkArrayTargets, checkPaths, checkPathsViable } from './update-checks.js';
import { applyPipelineUpdate, applyPulls, currentDateValues } from './update-operators.js';
import { getPath, immutableIdError, setPath, touchesId } from './update-paths.js';
import { tryFastUpdate } from './fast-update.js';

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
  checkPathsViable(copy, modifier);
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
