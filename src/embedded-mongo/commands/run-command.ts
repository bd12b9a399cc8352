import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { asMongoError } from '../foreign-errors.js';
import type { SessionArgs } from '../state/session-state.js';
import { sessionArgs } from './args.js';
import { refuseUnsupportedOptions } from './unsupported-options.js';
import { catalogCommands } from './catalog-commands.js';
import type { CommandSpec, CommandTable, ConnectionState, Logger, ServerState } from './command-context.js';
import { crudCommands } from './crud-commands.js';
import { cursorCommands } from './cursor-commands.js';
import { handshakeCommands } from './handshake-commands.js';
import { indexCommands } from './index-commands.js';
import { queryCommands } from './query-commands.js';
import { sessionCommands } from './session-commands.js';
import { statusCommands } from './status-commands.js';

const commands: CommandTable = {
  ...handshakeCommands,
  ...statusCommands,
  ...sessionCommands,
  ...crudCommands,
  ...queryCommands,
  ...catalogCommands,
  ...indexCommands,
  ...cursorCommands,
};

/** Command names match case-sensitively, except the handshake ones, as in MongoDB. */
function lookup(name: string): CommandSpec | undefined {
  if (Object.hasOwn(commands, name)) return commands[name];
  return isHandshakeCommand(name) ? commands.hello : undefined;
}

export function isHandshakeCommand(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'hello' || lower === 'ismaster';
}

/**
 * Runs one command and always answers with a reply document: every failure becomes MongoDB's error shape
 * so the connection stays usable.
 */
/** The writes a driver may re-send with the same txnNumber after a network error. */
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);

export async function runCommand(
  server: ServerState,
  conn: ConnectionState,
  db: string,
  cmd: Document,
  log: Logger,
): Promise<Document> {
  const name = Object.keys(cmd)[0] ?? '';
  const spec = lookup(name);
  if (!spec) {
    return new MongoCommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`).toReply();
  }
  let inTransaction = false;
  let session: SessionArgs | undefined;
  const writes = typeof spec.writes === 'function' ? spec.writes(cmd) : spec.writes === true;
  try {
    if (server.scram && !conn.authenticated && !spec.noAuth) {
      throw new MongoCommandError(ErrorCodes.Unauthorized, `Command ${name} requires authentication`);
    }
    if (spec.adminOnly && db !== 'admin') {
      throw new MongoCommandError(
        ErrorCodes.Unauthorized,
        `${name} may only be run against the admin database.`,
      );
    }
    refuseUnsupportedOptions(name, cmd);
    session = sessionArgs(cmd);
    const txnControl = name === 'commitTransaction' || name === 'abortTransaction';
    const txn = txnControl ? undefined : server.sessions.enter(session);
    inTransaction = txn !== undefined;
    const context = { server, conn, db, cmd, name, txn, sessionKey: session.key };
    const execute = async (): Promise<Document> => spec.run(context);
    const retryable =
      writes && !inTransaction && RETRYABLE_WRITES.has(name) && session.txnNumber !== undefined;
    const reply = retryable ? await server.sessions.retryableWrite(session, execute) : await execute();
    if (inTransaction && Array.isArray(reply.writeErrors) && reply.writeErrors.length > 0) {
      server.sessions.abortAfterError(session);
    }
    if (writes && !inTransaction) await server.engine.whenDurable();
    return reply;
  } catch (err) {
    if (inTransaction && session) server.sessions.abortAfterError(session);
    // A failed write may still have changed something before it threw; acknowledge only what is on disk.
    if (writes && !inTransaction) await server.engine.whenDurable().catch(() => undefined);
    if (err instanceof MongoCommandError) return err.toReply();
    const translated = asMongoError(err);
    if (translated.code === ErrorCodes.InternalError) {
      log(`command ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    return translated.toReply();
  }
}
