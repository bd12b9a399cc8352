import type { Document } from 'bson';
import type { DeleteSpec, FindAndModifySpec, UpdateSpec } from '../engine/engine-api.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { MAX_WRITE_BATCH_SIZE } from '../wire/protocol.js';
import { optionalDocuments, requireArray, toNumber } from './args.js';

/** The statements of the write commands, read from the command and checked as MongoDB checks them. */

function batch(cmd: Document, field: string): Document[] {
  const docs = requireArray(cmd, field);
  if (docs.length === 0)
    throw new MongoCommandError(ErrorCodes.InvalidOptions, `Write batch '${field}' is empty`);
  if (docs.length > MAX_WRITE_BATCH_SIZE) {
    throw new MongoCommandError(
      ErrorCodes.InvalidOptions,
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${docs.length} operations.`,
    );
  }
  return docs;
}

export function insertStatements(cmd: Document): Document[] {
  return batch(cmd, 'documents');
}

export function updateStatements(cmd: Document): UpdateSpec[] {
  return batch(cmd, 'updates').map((u) => {
    if (
      !u ||
      typeof u !== 'object' ||
      typeof u.q !== 'object' ||
      u.q === null ||
      typeof u.u !== 'object' ||
      u.u === null
    ) {
      throw new MongoCommandError(ErrorCodes.FailedToParse, 'each update needs a q and a u document');
    }
    const spec: UpdateSpec = { q: u.q as Document, u: u.u as Document | Document[] };
    if (u.upsert === true) spec.upsert = true;
    if (u.multi === true) spec.multi = true;
    if (Array.isArray(u.arrayFilters)) spec.arrayFilters = u.arrayFilters as Document[];
    return spec;
  });
}

export function deleteStatements(cmd: Document): DeleteSpec[] {
  return batch(cmd, 'deletes').map((d) => {
    if (!d || typeof d !== 'object' || typeof d.q !== 'object' || d.q === null) {
      throw new MongoCommandError(ErrorCodes.FailedToParse, 'each delete needs a q document');
    }
    const limit = toNumber(d.limit ?? 0, 'limit');
    if (limit !== 0 && limit !== 1) {
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        'The limit field in delete objects must be 0 or 1',
      );
    }
    return { q: d.q as Document, limit };
  });
}

export function findAndModifyStatement(cmd: Document): FindAndModifySpec {
  const spec: FindAndModifySpec = optionalDocuments(cmd, ['query', 'sort', 'fields']);
  if (cmd.remove === true) spec.remove = true;
  if (cmd.update !== undefined && cmd.update !== null) spec.update = cmd.update as Document | Document[];
  if (cmd.new === true) spec.new = true;
  if (cmd.upsert === true) spec.upsert = true;
  if (Array.isArray(cmd.arrayFilters)) spec.arrayFilters = cmd.arrayFilters as Document[];
  if (spec.remove && spec.update) {
    throw new MongoCommandError(ErrorCodes.FailedToParse, 'Cannot specify both an update and remove=true');
  }
  if (!spec.remove && !spec.update) {
    throw new MongoCommandError(
      ErrorCodes.FailedToParse,
      'Either an update or remove=true must be specified',
    );
  }
  return spec;
}
