import type { Document } from 'bson';
import { cloneDoc, setOwnField } from '../bson/own-fields.js';
import { encodeKey } from '../bson/value-keys.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { applyOperators, isUpdateOperator } from './apply-operators.js';
import { hasPositionalPaths, resolvePositionalPaths } from './positional-paths.js';
import { checkArrayTargets, checkPaths, checkPathsViable } from './update-checks.js';
import { immutableIdError, touchesId } from './update-paths.js';
import { applyPipelineUpdate } from './update-pipeline.js';

/**
 * Applying one update (operator document, replacement, or pipeline) to a copy of a stored document:
 * the checks MongoDB makes before changing anything, then the store's own operators.
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

function replace(doc: Document, replacement: Document, idKey: string): Document {
  if ('_id' in replacement && doc._id !== undefined && encodeKey(replacement._id) !== idKey)
    throw immutableIdError();
  const out: Document = { _id: (doc._id ?? replacement._id) as unknown };
  for (const [k, v] of Object.entries(replacement))
    if (k !== '_id') setOwnField(out, k, cloneDoc(v as unknown));
  if (out._id === undefined) delete out._id;
  return out;
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
  if (kind === 'replacement') return replace(doc, u, idKey);
  const copy = cloneDoc(doc);
  if (kind === 'pipeline')
    return applyPipelineUpdate(copy, u as Document[], doc._id === undefined ? undefined : idKey);
  const modifier = prepareModifier(copy, u, isInsert, doc._id !== undefined ? idKey : undefined);
  const concrete = hasPositionalPaths(modifier)
    ? resolvePositionalPaths(copy, modifier, condition, arrayFilters)
    : modifier;
  checkArrayTargets(copy, concrete);
  checkPathsViable(copy, concrete);
  if (!isInsert) refuseDollarFields(concrete);
  applyOperators(copy, concrete);
  return copy;
}

/**
 * MongoDB 5.0 stores top-level field names starting with `$` when a document is inserted, an upsert's
 * included; an update of an existing document may not create or change one.
 */
function refuseDollarFields(modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, arg] of Object.entries(fields as Document) as [string, unknown][]) {
      const target = op === '$rename' && typeof arg === 'string' ? arg : path;
      const field = target.split('.')[0]!;
      if (!field.startsWith('$')) continue;
      throw new MongoCommandError(
        ErrorCodes.DollarPrefixedFieldName,
        `The dollar ($) prefixed field '${field}' in '${target}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
  }
}

/**
 * The operator document as the operators apply it: every operator known and taking fields,
 * $setOnInsert folded into $set on insert (dropped otherwise), and _id left alone: changing it fails,
 * setting it to its own value is dropped (on an upsert it gives the new document its _id).
 */
function prepareModifier(
  copy: Document,
  u: Document,
  isInsert: boolean,
  idKey: string | undefined,
): Document {
  for (const [op, expr] of Object.entries(u) as [string, unknown][]) {
    if (op !== '$setOnInsert' && !isUpdateOperator(op)) {
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) {
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        `Modifiers operate on fields but we found type ${Array.isArray(expr) ? 'array' : typeof expr} instead`,
      );
    }
  }
  checkPaths(u);
  const out: Document = {};
  for (const [op, expr] of Object.entries(u)) {
    if (op === '$setOnInsert' && !isInsert) continue;
    const target = op === '$setOnInsert' ? '$set' : op;
    out[target] = { ...(out[target] as Document | undefined), ...(expr as Document) };
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
  return out;
}
