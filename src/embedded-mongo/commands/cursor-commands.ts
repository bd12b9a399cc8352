import { Long, type Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { optionalDocument, optionalNumber, requireArray, requireString, toNumber } from './args.js';
import type { CommandContext, CommandTable } from './command-context.js';

/** Opening a cursor for a command's reply, and the commands that continue and close cursors. */

/** Replies with a cursor over `docs`, as find, aggregate, listCollections and listIndexes do. */
export function cursorReply(
  ctx: CommandContext,
  ns: string,
  docs: Document[],
  batchSize: number | undefined,
  singleBatch = false,
): Document {
  if (batchSize !== undefined && batchSize < 0) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `BatchSize value must be non-negative, but received: ${batchSize}`,
    );
  }
  const { firstBatch, id } = ctx.server.cursors.open(
    ns,
    docs,
    batchSize,
    singleBatch,
    ctx.conn.id,
    ctx.sessionKey,
  );
  return { cursor: { firstBatch, id, ns }, ok: 1 };
}

export function batchSizeOf(cmd: Document): number | undefined {
  const cursor = optionalDocument(cmd, 'cursor');
  return cursor ? optionalNumber(cursor, 'batchSize') : undefined;
}

function getMore(ctx: CommandContext): Document {
  const raw: unknown = ctx.cmd.getMore;
  const id = Long.isLong(raw) ? raw : Long.fromNumber(toNumber(raw, 'getMore'));
  const collection = requireString(ctx.cmd, 'collection');
  const {
    nextBatch,
    id: next,
    ns,
  } = ctx.server.cursors.next(
    id,
    optionalNumber(ctx.cmd, 'batchSize'),
    ctx.sessionKey,
    `${ctx.db}.${collection}`,
  );
  return { cursor: { nextBatch, id: next, ns }, ok: 1 };
}

function killCursors(ctx: CommandContext): Document {
  const ids = requireArray(ctx.cmd, 'cursors') as unknown[];
  const cursorsKilled: Long[] = [];
  const cursorsNotFound: Long[] = [];
  for (const raw of ids) {
    const id = Long.isLong(raw) ? raw : Long.fromNumber(toNumber(raw, 'cursors'));
    (ctx.server.cursors.kill(id) ? cursorsKilled : cursorsNotFound).push(id);
  }
  return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

export const cursorCommands: CommandTable = {
  getMore: { run: getMore },
  killCursors: { run: killCursors },
};
