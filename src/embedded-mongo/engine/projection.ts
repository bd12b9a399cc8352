import type { Document } from 'bson';
import { Query } from 'mingo/query';
import type { AnyObject } from 'mingo/types';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { cloneDoc, idFirst, isPlainDocument } from '../bson/own-fields.js';
import { plainDocument, plainFilter, plainValues } from '../bson/plain-values.js';
import { literalOperands } from './filter-operands.js';
import { baseOptions } from './mingo-context.js';
import { compileElemMatch } from './elem-match.js';

/** Projections of find and findAndModify results, with MongoDB's rules where mingo's differ. */

/** MongoDB names the field that breaks a projection's mode; the query library only says it is mixed. */
function checkProjectionMode(projection: Document): void {
  let mode: 'inclusion' | 'exclusion' | undefined;
  for (const [field, value] of Object.entries(projection)) {
    if (field === '_id' || (typeof value !== 'number' && typeof value !== 'boolean')) continue;
    const fieldMode = value ? 'inclusion' : 'exclusion';
    mode ??= fieldMode;
    if (fieldMode === mode) continue;
    throw new MongoCommandError(
      mode === 'inclusion' ? ErrorCodes.Location31254 : ErrorCodes.Location31253,
      `Cannot do ${fieldMode} on field ${field} in ${mode} projection`,
    );
  }
}

export function applyProjection(docs: Document[], spec: Document, filter?: Document): Document[] {
  const projection = plainValues(spec);
  checkProjectionMode(projection);
  if (Object.values(projection).some(isSlice)) return projectWithSlices(docs, projection, filter);
  const elemMatches = Object.entries(projection).filter(([, v]) => isElemMatch(v));
  if (elemMatches.length > 0) return projectElemMatches(docs, projection, elemMatches, filter);
  // The filter matters only to the positional projection ($), which projects the matched element.
  const positional = Object.keys(projection).some((k) => k.endsWith('.$'));
  const query = new Query(positional ? plainFilter(literalOperands(filter ?? {})) : {}, baseOptions);
  // Computed fields are mingo's expressions, which take plain numbers; kept fields keep their types.
  const view = hasExpressions(projection) ? plainDocument : (d: Document) => d;
  // mingo removes an excluded nested field from the document it is given: that must be a copy, or
  // the stored document itself would lose the field until the next restart.
  const input = excludesNested(projection) ? docs.map((d) => cloneDoc(view(d))) : docs.map(view);
  return (query.find(input as AnyObject[], projection).all() as Document[]).map(idFirst);
}

function excludesNested(projection: Document): boolean {
  return Object.entries(projection).some(([field, v]) => field.includes('.') && (v === 0 || v === false));
}

function hasExpressions(projection: Document): boolean {
  return Object.values(projection).some((v) => isPlainDocument(v) && !isSlice(v) && !isElemMatch(v));
}

function isElemMatch(v: unknown): v is { $elemMatch: AnyObject } {
  return v !== null && typeof v === 'object' && Object.keys(v).length === 1 && '$elemMatch' in v;
}

/**
 * The $elemMatch projection keeps the first element of an array that matches, and leaves the field out
 * when none does; computed here, since mingo's refused operator-only conditions such as {$in: [...]}.
 * The rest of the projection is mingo's, with the field included (or, in an exclusion projection, kept).
 */
function projectElemMatches(
  docs: Document[],
  projection: Document,
  elemMatches: [string, unknown][],
  filter: Document | undefined,
): Document[] {
  const exclusion = Object.entries(projection).some(([k, v]) => k !== '_id' && (v === 0 || v === false));
  const rest: Document = {};
  for (const [field, value] of Object.entries(projection) as [string, unknown][]) {
    if (!isElemMatch(value)) rest[field] = value;
    else if (!exclusion) rest[field] = 1;
  }
  const tests = elemMatches.map(
    ([field, v]) =>
      [field, compileElemMatch((v as { $elemMatch: AnyObject }).$elemMatch, baseOptions)] as const,
  );
  const projected =
    Object.keys(rest).length > 0 ? applyProjection(docs, rest, filter) : docs.map((d) => ({ ...d }));
  return projected.map((doc, i) => {
    const source = docs[i]!;
    for (const [field, test] of tests) {
      const array: unknown = source[field];
      const first = Array.isArray(array) ? (array as unknown[]).find(test) : undefined;
      if (first === undefined) delete doc[field];
      else doc[field] = [first];
    }
    return doc;
  });
}

function isSlice(v: unknown): v is { $slice: number | [number, number] } {
  return v !== null && typeof v === 'object' && Object.keys(v).length === 1 && '$slice' in v;
}

/**
 * $slice keeps a field, sliced, in either kind of projection: with inclusions it is one more field
 * included, with exclusions (or alone) every other field stays. mingo took it for an inclusion, so
 * `{secret: 0, arr: {$slice: 1}}` failed as mixed.
 */
function projectWithSlices(docs: Document[], projection: Document, filter: Document | undefined): Document[] {
  const rest: Document = {};
  const slices: Document = {};
  for (const [field, value] of Object.entries(projection) as [string, unknown][]) {
    if (isSlice(value)) slices[field] = value;
    else rest[field] = value;
  }
  const includes = Object.entries(rest).some(([field, v]) => field !== '_id' && v !== 0 && v !== false);
  const kept = includes ? { ...rest, ...Object.fromEntries(Object.keys(slices).map((f) => [f, 1])) } : rest;
  const projected = Object.keys(kept).length > 0 ? applyProjection(docs, kept, filter) : docs;
  return projected.map((d) => applySlices(d, slices));
}

function sliceArray(arr: unknown[], spec: number | [number, number]): unknown[] {
  if (Array.isArray(spec)) {
    const [skip, limit] = spec;
    const start = skip < 0 ? Math.max(0, arr.length + skip) : skip;
    return arr.slice(start, start + limit);
  }
  return spec < 0 ? arr.slice(Math.max(0, arr.length + spec)) : arr.slice(0, spec);
}

function applySlices(doc: Document, projection: Document): Document {
  const out = cloneDoc(doc);
  for (const [path, spec] of Object.entries(projection)) {
    if (!isSlice(spec)) continue;
    const parts = path.split('.');
    let cur: unknown = out;
    for (let i = 0; i < parts.length - 1 && cur !== null && typeof cur === 'object'; i++) {
      cur = (cur as Record<string, unknown>)[parts[i]!];
    }
    if (cur === null || typeof cur !== 'object') continue;
    const holder = cur as Record<string, unknown>;
    const last = parts[parts.length - 1]!;
    const value = holder[last];
    if (Array.isArray(value)) holder[last] = sliceArray(value, spec.$slice);
  }
  return out;
}
