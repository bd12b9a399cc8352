import { ErrorCodes, MongoCommandError, unsupported } from '../errors.js';
import { encodeKey } from '../bson/value-keys.js';
import type { IndexSpec, SortDirection } from './engine-api.js';

/** Validates an index spec from a client and returns it in stored form (v:2, known options only). */
export function normalizeIndexSpec(spec: IndexSpec): IndexSpec {
  if (!spec || typeof spec.key !== 'object' || spec.key === null || Object.keys(spec.key).length === 0) {
    throw new MongoCommandError(ErrorCodes.CannotCreateIndex, 'Index keys cannot be empty.');
  }
  const key: Record<string, SortDirection> = {};
  for (const [field, dir] of Object.entries(spec.key)) {
    if (dir === ('text' as unknown)) throw unsupported(`text index on ${field} ($text search)`);
    if (['2d', '2dsphere', 'geoHaystack'].includes(dir as unknown as string))
      throw unsupported(`geospatial index (${String(dir)}) on ${field}`);
    const n = Number(dir);
    if (n !== 1 && n !== -1) {
      throw new MongoCommandError(
        ErrorCodes.CannotCreateIndex,
        `Unsupported index type for field ${field}: ${String(dir)} (only 1 and -1)`,
      );
    }
    key[field] = n;
  }
  if (typeof spec.name !== 'string' || spec.name.length === 0) {
    throw new MongoCommandError(
      ErrorCodes.CannotCreateIndex,
      "The 'name' field is a required property of an index specification",
    );
  }
  const out: IndexSpec = { v: 2, key, name: spec.name };
  if (spec.unique) out.unique = true;
  if (spec.sparse) out.sparse = true;
  if (spec.partialFilterExpression) out.partialFilterExpression = spec.partialFilterExpression;
  if (spec.expireAfterSeconds !== undefined) {
    const secs = Number(spec.expireAfterSeconds);
    if (!Number.isFinite(secs) || secs < 0) {
      throw new MongoCommandError(
        ErrorCodes.CannotCreateIndex,
        'expireAfterSeconds must be a non-negative number',
      );
    }
    out.expireAfterSeconds = secs;
  }
  if (spec.name === '_id_' && (Object.keys(key).length !== 1 || key._id === undefined)) {
    throw new MongoCommandError(
      ErrorCodes.CannotCreateIndex,
      'The index name _id_ is reserved for the _id index',
    );
  }
  return out;
}

export function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    !!a.unique === !!b.unique &&
    !!a.sparse === !!b.sparse &&
    a.expireAfterSeconds === b.expireAfterSeconds &&
    encodeKey(a.partialFilterExpression ?? null) === encodeKey(b.partialFilterExpression ?? null)
  );
}

/**
 * The specs that still need creating, after checking them against the existing ones: the same index
 * again is skipped; a name reused for other keys is 86; a name or key pattern reused with other
 * options is 85.
 */
export function indexesToCreate(existing: IndexSpec[], requested: IndexSpec[]): IndexSpec[] {
  const toAdd: IndexSpec[] = [];
  for (const spec of requested) {
    const sameName = existing.find((s) => s.name === spec.name);
    if (sameName) {
      if (encodeKey(sameName.key) !== encodeKey(spec.key)) {
        throw new MongoCommandError(
          ErrorCodes.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
        );
      }
      if (!sameIndexOptions(sameName, spec)) {
        throw new MongoCommandError(
          ErrorCodes.IndexOptionsConflict,
          `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
        );
      }
      continue;
    }
    const sameKey = existing.find(
      (s) =>
        encodeKey(s.key) === encodeKey(spec.key) &&
        encodeKey(s.partialFilterExpression ?? null) === encodeKey(spec.partialFilterExpression ?? null),
    );
    if (sameKey) {
      throw new MongoCommandError(
        ErrorCodes.IndexOptionsConflict,
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    if (!toAdd.some((s) => s.name === spec.name)) toAdd.push(spec);
  }
  return toAdd;
}
