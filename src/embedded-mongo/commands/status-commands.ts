import os from 'node:os';
import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { MAX_BSON_OBJECT_SIZE } from '../wire/protocol.js';
import type { CommandContext, CommandTable } from './command-context.js';

/** What the store says about itself: its version, parameters, host and running figures. */

const SERVER_VERSION = '7.0.0';
const TXN_LIFETIME_SECONDS = 60;

function buildInfo(): Document {
  return {
    version: SERVER_VERSION,
    gitVersion: 'sabaq-embedded',
    versionArray: [7, 0, 0, 0],
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['sabaq'],
    openssl: { running: 'disabled' },
    buildEnvironment: {},
    ok: 1,
  };
}

const parameters: Record<string, () => unknown> = {
  featureCompatibilityVersion: () => ({ version: '7.0' }),
  transactionLifetimeLimitSeconds: () => TXN_LIFETIME_SECONDS,
  authenticationMechanisms: () => ['SCRAM-SHA-256'],
  maxBSONDepth: () => 200,
};

function getParameter(ctx: CommandContext): Document {
  const all = ctx.cmd.getParameter === '*';
  const reply: Document = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (all || name in ctx.cmd) reply[name] = value();
  }
  if (Object.keys(reply).length === 0) {
    throw new MongoCommandError(ErrorCodes.InvalidOptions, 'no option found to get');
  }
  reply.ok = 1;
  return reply;
}

function hostInfo(): Document {
  return {
    system: {
      currentTime: new Date(),
      hostname: os.hostname(),
      cpuAddrSize: 64,
      memSizeMB: Math.round(os.totalmem() / 1024 / 1024),
      numCores: os.cpus().length,
      cpuArch: os.arch(),
    },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    extra: {},
    ok: 1,
  };
}

function serverStatus(ctx: CommandContext): Document {
  const uptimeMillis = Date.now() - ctx.server.startedAt;
  return {
    host: os.hostname(),
    version: SERVER_VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis,
    localTime: new Date(),
    connections: {
      current: ctx.server.stats.currentConnections,
      available: 1_000_000,
      totalCreated: ctx.server.stats.totalConnections,
    },
    metrics: { cursor: { open: { total: ctx.server.cursors.size } } },
    transactions: { currentOpen: ctx.server.sessions.activeTransactions },
    ok: 1,
  };
}

export const statusCommands: CommandTable = {
  ping: { run: () => ({ ok: 1 }), noAuth: true },
  buildInfo: { run: buildInfo, noAuth: true },
  buildinfo: { run: buildInfo, noAuth: true },
  getParameter: { run: getParameter, adminOnly: true },
  whatsmyuri: { run: (ctx) => ({ you: ctx.conn.remoteAddress, ok: 1 }) },
  hostInfo: { run: hostInfo },
  serverStatus: { run: serverStatus },
};
