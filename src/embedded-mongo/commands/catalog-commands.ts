import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { collectionName, optionalDocument, requireString, splitNamespace } from './args.js';
import type { CommandContext, CommandTable } from './command-context.js';
import { batchSizeOf, cursorReply } from './cursor-commands.js';

/** Fields every command may carry that are not options of the command itself. */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'writeConcern',
  'readConcern',
  '$clusterTime',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'comment',
  'maxTimeMS',
]);

function commandOptions(cmd: Document, name: string): Document {
  const options: Document = {};
  for (const [key, value] of Object.entries(cmd) as [string, unknown][]) {
    if (key !== name && !GENERIC_FIELDS.has(key)) options[key] = value;
  }
  return options;
}

function listDatabases(ctx: CommandContext): Document {
  const databases: Document[] = ctx.server.engine.listDatabases(optionalDocument(ctx.cmd, 'filter'));
  if (ctx.cmd.nameOnly === true)
    return { databases: databases.map((d) => ({ name: d.name as string })), ok: 1 };
  const totalSize = databases.reduce((sum, d) => sum + Number(d.sizeOnDisk ?? 0), 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024), ok: 1 };
}

function listCollections(ctx: CommandContext): Document {
  const filter = optionalDocument(ctx.cmd, 'filter');
  const infos = ctx.server.engine.listCollections(ctx.db, filter);
  const docs: Document[] =
    ctx.cmd.nameOnly === true ? infos.map((c) => ({ name: c.name, type: c.type })) : infos;
  return cursorReply(ctx, `${ctx.db}.$cmd.listCollections`, docs, batchSizeOf(ctx.cmd));
}

function create(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'create');
  if (ctx.cmd.capped && ctx.cmd.size === undefined) {
    throw new MongoCommandError(
      ErrorCodes.InvalidOptions,
      "the 'size' field is required when 'capped' is true",
    );
  }
  ctx.server.engine.createCollection(ctx.db, coll, commandOptions(ctx.cmd, 'create'));
  return { ok: 1 };
}

function drop(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'drop');
  // Since MongoDB 7.0 dropping a missing collection succeeds.
  ctx.server.engine.dropCollection(ctx.db, coll);
  ctx.server.cursors.killNamespace(`${ctx.db}.${coll}`, 'collection dropped');
  return { ns: `${ctx.db}.${coll}`, ok: 1 };
}

function dropDatabase(ctx: CommandContext): Document {
  ctx.server.engine.dropDatabase(ctx.db);
  ctx.server.cursors.killNamespace(`${ctx.db}.`, 'database dropped');
  return { dropped: ctx.db, ok: 1 };
}

function renameCollection(ctx: CommandContext): Document {
  const from = splitNamespace(requireString(ctx.cmd, 'renameCollection'));
  const to = splitNamespace(requireString(ctx.cmd, 'to'));
  ctx.server.engine.renameCollection(from.db, from.coll, to.db, to.coll, ctx.cmd.dropTarget === true);
  ctx.server.cursors.killNamespace(`${from.db}.${from.coll}`, 'collection renamed');
  if (ctx.cmd.dropTarget === true)
    ctx.server.cursors.killNamespace(`${to.db}.${to.coll}`, 'collection dropped');
  return { ok: 1 };
}

function dbStats(ctx: CommandContext): Document {
  return { ...ctx.server.engine.dbStats(ctx.db), ok: 1 };
}

function collStats(ctx: CommandContext): Document {
  const coll = collectionName(ctx.cmd, 'collStats');
  return { ...ctx.server.engine.collStats(ctx.db, coll), ok: 1 };
}

export const catalogCommands: CommandTable = {
  listDatabases: { run: listDatabases, data: true, adminOnly: true },
  listCollections: { run: listCollections, data: true },
  create: { run: create, data: true, writes: true },
  drop: { run: drop, data: true, writes: true },
  dropDatabase: { run: dropDatabase, data: true, writes: true },
  renameCollection: { run: renameCollection, data: true, writes: true, adminOnly: true },
  dbStats: { run: dbStats, data: true },
  collStats: { run: collStats, data: true },
};
