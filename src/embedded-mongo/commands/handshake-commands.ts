import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { AUTH_DB } from '../auth/credentials.js';
import { authFailed } from '../auth/scram-server.js';
import {
  MAX_BSON_OBJECT_SIZE,
  MAX_MESSAGE_SIZE_BYTES,
  MAX_WIRE_VERSION,
  MAX_WRITE_BATCH_SIZE,
} from '../wire/protocol.js';
import type { CommandContext, CommandTable } from './command-context.js';

export const REPLICA_SET_NAME = 'sabaq';

/**
 * The hello reply. No topologyVersion (it would switch the driver to streaming hello) and no compression
 * (we do not speak OP_COMPRESSED). The store presents itself as the primary of a one-member replica set:
 * it implements what drivers require of one (transactions, retryable writes with txnNumber), and a
 * standalone would make drivers send writes without the txnNumber that makes them safe to retry.
 */
function hello(ctx: CommandContext): Document {
  const legacy = ctx.name !== 'hello';
  const reply: Document = {
    ...(legacy ? { ismaster: true } : {}),
    isWritablePrimary: true,
    helloOk: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.conn.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [ctx.server.address],
    primary: ctx.server.address,
    me: ctx.server.address,
  };
  const scram = ctx.server.scram;
  if (scram && typeof ctx.cmd.saslSupportedMechs === 'string') {
    reply.saslSupportedMechs = ['SCRAM-SHA-256'];
  }
  // Speculative auth saves the driver a round trip; on any failure we just omit it and the driver
  // falls back to a normal saslStart.
  const spec: unknown = ctx.cmd.speculativeAuthenticate;
  if (scram && spec && typeof spec === 'object' && !ctx.conn.authenticated) {
    const s = spec as Document;
    if (s.saslStart === 1 || s.saslStart === true) {
      try {
        const started = scram.start(typeof s.db === 'string' ? s.db : '', s);
        ctx.conn.scram = started.conversation;
        const { ok: _ok, ...first } = started.reply;
        reply.speculativeAuthenticate = first;
      } catch {
        // fall back to explicit saslStart
      }
    }
  }
  reply.ok = 1;
  return reply;
}

function saslStart(ctx: CommandContext): Document {
  const scram = ctx.server.scram;
  if (!scram) {
    throw new MongoCommandError(
      ErrorCodes.AuthenticationFailed,
      'Authentication is not enabled on this store',
    );
  }
  const { conversation, reply } = scram.start(ctx.db, ctx.cmd);
  ctx.conn.scram = conversation;
  return reply;
}

function saslContinue(ctx: CommandContext): Document {
  const scram = ctx.server.scram;
  const conversation = ctx.conn.scram;
  if (!scram || !conversation) throw authFailed();
  if (ctx.cmd.conversationId !== undefined && Number(ctx.cmd.conversationId) !== conversation.id) {
    throw authFailed();
  }
  ctx.conn.scram = undefined;
  const reply = scram.finish(conversation, ctx.cmd);
  ctx.conn.authenticated = true;
  ctx.conn.user = conversation.user;
  return reply;
}

function connectionStatus(ctx: CommandContext): Document {
  const user = ctx.conn.user;
  return {
    authInfo: {
      authenticatedUsers: user ? [{ user, db: AUTH_DB }] : [],
      authenticatedUserRoles: user ? [{ role: 'root', db: AUTH_DB }] : [],
    },
    ok: 1,
  };
}

export const handshakeCommands: CommandTable = {
  hello: { run: hello, noAuth: true },
  isMaster: { run: hello, noAuth: true },
  ismaster: { run: hello, noAuth: true },
  saslStart: { run: saslStart, noAuth: true },
  saslContinue: { run: saslContinue, noAuth: true },
  connectionStatus: { run: connectionStatus, noAuth: true },
};
