import type { Document } from 'bson';
import type { StoreEngine, Transaction } from '../engine/engine-api.js';
import type { ScramConversation, ScramServer } from '../auth/scram-server.js';
import type { CursorRegistry } from '../state/cursor-registry.js';
import type { SessionRegistry } from '../state/session-registry.js';

export type Logger = (message: string) => void;

/** What one client connection carries between its commands. */
export interface ConnectionState {
  readonly id: number;
  readonly remoteAddress: string;
  authenticated: boolean;
  user: string | undefined;
  scram: ScramConversation | undefined;
}

/** Server-wide state shared by every command. */
export interface ServerState {
  readonly engine: StoreEngine;
  readonly cursors: CursorRegistry;
  readonly sessions: SessionRegistry;
  /** Present when clients must authenticate (TCP mode). */
  readonly scram: ScramServer | undefined;
  readonly startedAt: number;
  /** host:port or the socket path clients reach the store at, as hello reports it; set once listening. */
  address: string;
  readonly stats: { currentConnections: number; totalConnections: number };
}

export interface CommandContext {
  readonly server: ServerState;
  readonly conn: ConnectionState;
  readonly db: string;
  readonly cmd: Document;
  readonly name: string;
  /** The engine transaction when the command is a statement of an open transaction. */
  readonly txn: Transaction | undefined;
  readonly sessionKey: string | undefined;
}

export interface CommandSpec {
  run(ctx: CommandContext): Document | Promise<Document>;
  /** Reads or writes data. */
  data?: boolean;
  /** Writes data: outside a transaction, the reply waits for the engine's disk commit. */
  writes?: boolean | ((cmd: Document) => boolean);
  /** Allowed before authentication (MongoDB allows the handshake, auth and ping). */
  noAuth?: boolean;
  /** Must be sent to the admin database. */
  adminOnly?: boolean;
}

export type CommandTable = Record<string, CommandSpec>;
