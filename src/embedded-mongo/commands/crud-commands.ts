import type { Document } from 'bson';
import type {
  DeleteSpec,
  FindAndModifySpec,
  UpdateSpec,
  WriteError,
  WriteTargets,
} from '../engine/engine-api.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { MAX_WRITE_BATCH_SIZE } from '../wire/protocol.js';
import { collectionName, optionalDocument, requireArray, toNumber } from './args.js';
import type { CommandContext, CommandTable } from './command-context.js';

function checkBatch(docs: Document[], field: string): void {
  if (docs.length === 0)
    throw new MongoCommandError(ErrorCodes.InvalidOptions, `Write batch '${field}' is empty`);
  if (docs.length > MAX_WRITE_BATCH_SIZE) {
    throw new MongoCommandError(
      ErrorCodes.InvalidOptions,
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${docs.length} operations.`,
    );
  }
}

/**
 * Outside a transaction, a write that would change what a running transaction holds waits until that
 * transaction ends, as in MongoDB; inside one, conflicts are the engine's (WriteConflict). The last
 * check and the write run in one turn, so no transaction can take what the write needs in between.
 */
async function whenFree<T>(
  ctx: CommandContext,
  coll: string,
  targets: WriteTargets,
  write: () => T,
): Promise<T> {
  for (;;) {
    const wait = ctx.txn ? undefined : ctx.server.engine.writeBlockedBy(ctx.db, coll, targets);
    if (!wait) return write();
    await wait;
  }
}

function withWriteErrors(reply: Document, writeErrors: WriteError[]): Document {
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

async function insert(ctx: CommandContext): Promise<Document> {
  const coll = collectionName(ctx.cmd, 'insert');
  const documents = requireArray(ctx.cmd, 'documents');
  checkBatch(documents, 'documents');
  const ordered = ctx.cmd.ordered !== false;
  const result = await whenFree(ctx, coll, { inserts: documents }, () =>
    ctx.server.engine.insert(ctx.db, coll, documents, ordered, ctx.txn),
  );
  return withWriteErrors({ n: result.n }, result.writeErrors);
}

async function update(ctx: CommandContext): Promise<Document> {
  const coll = collectionName(ctx.cmd, 'update');
  const raw = requireArray(ctx.cmd, 'updates');
  checkBatch(raw, 'updates');
  const updates: UpdateSpec[] = raw.map((u) => {
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
  const ordered = ctx.cmd.ordered !== false;
  const result = await whenFree(ctx, coll, { filters: updates }, () =>
    ctx.server.engine.update(ctx.db, coll, updates, ordered, ctx.txn),
  );
  const reply: Document = { n: result.n, nModified: result.nModified };
  if (result.upserted.length > 0) reply.upserted = result.upserted;
  return withWriteErrors(reply, result.writeErrors);
}

async function remove(ctx: CommandContext): Promise<Document> {
  const coll = collectionName(ctx.cmd, 'delete');
  const raw = requireArray(ctx.cmd, 'deletes');
  checkBatch(raw, 'deletes');
  const deletes: DeleteSpec[] = raw.map((d) => {
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
  const ordered = ctx.cmd.ordered !== false;
  const targets = { filters: deletes.map((d) => ({ q: d.q, multi: d.limit === 0 })) };
  const result = await whenFree(ctx, coll, targets, () =>
    ctx.server.engine.delete(ctx.db, coll, deletes, ordered, ctx.txn),
  );
  return withWriteErrors({ n: result.n }, result.writeErrors);
}

async function findAndModify(ctx: CommandContext): Promise<Document> {
  const coll = collectionName(ctx.cmd, ctx.name);
  const cmd = ctx.cmd;
  const spec: FindAndModifySpec = {};
  const query = optionalDocument(cmd, 'query');
  if (query) spec.query = query;
  const sort = optionalDocument(cmd, 'sort');
  if (sort) spec.sort = sort;
  const fields = optionalDocument(cmd, 'fields');
  if (fields) spec.fields = fields;
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
  const target = { q: spec.query ?? {}, u: spec.update, upsert: spec.upsert, sort: spec.sort };
  const result = await whenFree(
    ctx,
    coll,
    { filters: [{ ...target, arrayFilters: spec.arrayFilters }] },
    () => ctx.server.engine.findAndModify(ctx.db, coll, spec, ctx.txn),
  );
  return { lastErrorObject: result.lastErrorObject, value: result.value, ok: 1 };
}

export const crudCommands: CommandTable = {
  insert: { run: insert, data: true, writes: true },
  update: { run: update, data: true, writes: true },
  delete: { run: remove, data: true, writes: true },
  findAndModify: { run: findAndModify, data: true, writes: true },
  findandmodify: { run: findAndModify, data: true, writes: true },
};
