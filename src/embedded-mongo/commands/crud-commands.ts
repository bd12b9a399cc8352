import type { Document } from 'bson';
import type { WriteError, WriteTargets } from '../engine/engine-api.js';
import { collectionName } from './args.js';
import type { CommandContext, CommandTable } from './command-context.js';
import {
  deleteStatements,
  findAndModifyStatement,
  insertStatements,
  updateStatements,
} from './write-statements.js';

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
  const documents = insertStatements(ctx.cmd);
  const ordered = ctx.cmd.ordered !== false;
  const result = await whenFree(ctx, coll, { inserts: documents }, () =>
    ctx.server.engine.insert(ctx.db, coll, documents, ordered, ctx.txn),
  );
  return withWriteErrors({ n: result.n }, result.writeErrors);
}

async function update(ctx: CommandContext): Promise<Document> {
  const coll = collectionName(ctx.cmd, 'update');
  const updates = updateStatements(ctx.cmd);
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
  const deletes = deleteStatements(ctx.cmd);
  const ordered = ctx.cmd.ordered !== false;
  const targets = { filters: deletes.map((d) => ({ q: d.q, multi: d.limit === 0 })) };
  const result = await whenFree(ctx, coll, targets, () =>
    ctx.server.engine.delete(ctx.db, coll, deletes, ordered, ctx.txn),
  );
  return withWriteErrors({ n: result.n }, result.writeErrors);
}

async function findAndModify(ctx: CommandContext): Promise<Document> {
  const coll = collectionName(ctx.cmd, ctx.name);
  const spec = findAndModifyStatement(ctx.cmd);
  const { query = {}, update: u, upsert, sort, arrayFilters } = spec;
  const result = await whenFree(ctx, coll, { filters: [{ q: query, u, upsert, sort, arrayFilters }] }, () =>
    ctx.server.engine.findAndModify(ctx.db, coll, spec, ctx.txn),
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
