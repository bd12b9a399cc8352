import type { Document } from 'bson';
import type { IndexSpec } from '../engine/engine-api.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { collectionName, requireArray } from './args.js';
import type { CommandContext, CommandTable } from './command-context.js';
import { batchSizeOf, cursorReply } from './cursor-commands.js';

/** createIndexes, listIndexes and dropIndexes: the specs checked as MongoDB checks them, then the engine's. */

function createIndexes(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'createIndexes');
  const indexes = requireArray(ctx.cmd, 'indexes');
  if (indexes.length === 0)
    throw new MongoCommandError(ErrorCodes.BadValue, 'Must specify at least one index to create');
  for (const spec of indexes) {
    if (!spec || typeof spec !== 'object' || typeof spec.key !== 'object' || spec.key === null) {
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        "The 'key' field is a required property of an index specification",
      );
    }
    if (typeof spec.name !== 'string' || spec.name.length === 0) {
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        "The 'name' field is a required property of an index specification",
      );
    }
  }
  const result = ctx.server.engine.createIndexes(ctx.db, coll, indexes as IndexSpec[]);
  const reply: Document = { ...result };
  if (result.numIndexesBefore === result.numIndexesAfter) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
}

function listIndexes(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'listIndexes');
  const indexes = ctx.server.engine.listIndexes(ctx.db, coll) as unknown as Document[];
  return cursorReply(ctx, `${ctx.db}.$cmd.listIndexes.${coll}`, indexes, batchSizeOf(ctx.cmd));
}

function dropIndexes(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, ctx.name);
  const index: unknown = ctx.cmd.index;
  if (typeof index !== 'string' && (typeof index !== 'object' || index === null)) {
    throw new MongoCommandError(
      ErrorCodes.TypeMismatch,
      "'index' must be a string, an array of strings or a key pattern",
    );
  }
  const result = ctx.server.engine.dropIndexes(ctx.db, coll, index);
  return { nIndexesWas: result.nIndexesWas, ok: 1 };
}

export const indexCommands: CommandTable = {
  createIndexes: { run: createIndexes, data: true, writes: true },
  listIndexes: { run: listIndexes, data: true },
  dropIndexes: { run: dropIndexes, data: true, writes: true },
  deleteIndexes: { run: dropIndexes, data: true, writes: true },
};
