import type { Document } from 'bson';
import { encodeKey } from '../bson/value-keys.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { missingUnderArray, pathValues } from './document-paths.js';

const MAX_KEYS_PER_DOC = 10_000;

/**
 * The key tuples a document gives an index on `fields`: one per combination of the values found (an
 * array contributes each element, so the index is multikey), a missing value or an array element
 * lacking the path being null, as it matches `{path: null}`. A sparse index takes none from a document
 * that has none of the fields.
 */
export function documentKeys(
  doc: Document,
  fields: string[],
  sparse: boolean,
  indexName: string,
): { keys: unknown[][]; multikey: boolean } {
  const perField: unknown[][] = [];
  let anyPresent = false;
  let multikey = false;
  for (const f of fields) {
    const found = pathValues(doc, f);
    if (found.length > 0) anyPresent = true;
    if (found.length > 1) multikey = true;
    const vals: unknown[] = [];
    if (found.length === 0 || missingUnderArray(doc, f)) vals.push(null);
    for (const v of found) {
      if (Array.isArray(v)) multikey = true;
      if (Array.isArray(v) && v.length > 0) vals.push(...(v as unknown[]));
      else vals.push(v === undefined ? null : v);
    }
    perField.push(vals);
  }
  if (sparse && !anyPresent) return { keys: [], multikey };
  let tuples: unknown[][] = [[]];
  for (const vals of perField) {
    const next: unknown[][] = [];
    for (const t of tuples) for (const v of vals) next.push([...t, v]);
    tuples = next;
    if (tuples.length > MAX_KEYS_PER_DOC) {
      throw new MongoCommandError(ErrorCodes.CannotCreateIndex, `too many index keys for index ${indexName}`);
    }
  }
  if (tuples.length === 1) return { keys: tuples, multikey };
  const seen = new Map<string, unknown[]>();
  for (const t of tuples) seen.set(encodeKey(t), t);
  return { keys: [...seen.values()], multikey };
}
