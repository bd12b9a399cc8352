import type { Document } from 'bson';
import type { AggregateOptions, FindOptions } from '../engine/engine-api.js';
import { ErrorCodes, MongoCommandError, unsupported } from '../errors.js';
import {
  collectionName,
  optionalDocument,
  optionalDocuments,
  optionalNumber,
  requireArray,
  requireString,
} from './args.js';
import type { CommandContext, CommandTable } from './command-context.js';
import { cursorReply } from './cursor-commands.js';

function find(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'find');
  const cmd = ctx.cmd;
  const options: FindOptions = optionalDocuments(cmd, ['filter', 'sort', 'projection']);
  if (cmd.hint !== undefined) options.hint = cmd.hint as Document | string;
  const skip = optionalNumber(cmd, 'skip');
  if (skip !== undefined) {
    if (skip < 0) throw new MongoCommandError(ErrorCodes.BadValue, 'skip value must be non-negative');
    options.skip = skip;
  }
  let singleBatch = cmd.singleBatch === true;
  let limit = optionalNumber(cmd, 'limit');
  if (limit !== undefined && limit < 0) {
    // A negative limit is the legacy spelling of "limit, in one batch".
    limit = -limit;
    singleBatch = true;
  }
  if (limit) options.limit = limit;
  const docs = ctx.server.engine.find(ctx.db, coll, options, ctx.txn);
  return cursorReply(ctx, `${ctx.db}.${coll}`, docs, optionalNumber(cmd, 'batchSize'), singleBatch);
}

function pipelineWrites(cmd: Document): boolean {
  const pipeline: unknown = cmd.pipeline;
  return (
    Array.isArray(pipeline) &&
    pipeline.some(
      (stage: unknown) => !!stage && typeof stage === 'object' && ('$out' in stage || '$merge' in stage),
    )
  );
}

function aggregate(ctx: CommandContext): Document {
  const cmd = ctx.cmd;
  const first: unknown = Array.isArray(cmd.pipeline) ? (cmd.pipeline as unknown[])[0] : undefined;
  if (first && typeof first === 'object' && '$changeStream' in first) throw unsupported('change streams');
  if (typeof cmd.aggregate !== 'string') {
    throw new MongoCommandError(ErrorCodes.IllegalOperation, 'database-level aggregation is not supported');
  }
  const coll = collectionName(cmd, 'aggregate');
  const pipeline = requireArray(cmd, 'pipeline');
  const cursor = optionalDocument(cmd, 'cursor');
  if (!cursor && cmd.explain !== true) {
    throw new MongoCommandError(
      ErrorCodes.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const options: AggregateOptions = {};
  if (cmd.hint !== undefined) options.hint = cmd.hint as Document | string;
  const docs = ctx.server.engine.aggregate(ctx.db, coll, pipeline, options, ctx.txn);
  const batchSize = cursor ? optionalNumber(cursor, 'batchSize') : undefined;
  return cursorReply(ctx, `${ctx.db}.${coll}`, docs, batchSize);
}

function count(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'count');
  const skip = optionalNumber(ctx.cmd, 'skip');
  const limit = optionalNumber(ctx.cmd, 'limit');
  const n = ctx.server.engine.count(
    ctx.db,
    coll,
    optionalDocument(ctx.cmd, 'query'),
    skip,
    limit === undefined ? undefined : Math.abs(limit),
    ctx.txn,
  );
  return { n, ok: 1 };
}

function distinct(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'distinct');
  const key = requireString(ctx.cmd, 'key');
  const values = ctx.server.engine.distinct(ctx.db, coll, key, optionalDocument(ctx.cmd, 'query'), ctx.txn);
  return { values, ok: 1 };
}

export const queryCommands: CommandTable = {
  find: { run: find, data: true },
  aggregate: { run: aggregate, data: true, writes: pipelineWrites },
  count: { run: count, data: true },
  distinct: { run: distinct, data: true },
  explain: {
    run: () => {
      throw unsupported('explain');
    },
  },
};
