import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import type { StoreEngine } from '../engine/engine-api.js';
import { ScramServer } from '../auth/scram-server.js';
import type { StoredCredentials } from '../auth/credentials.js';
import type { Logger, ServerState } from '../commands/command-context.js';

import { ClientConnection } from './client-connection.js';
import { CursorRegistry } from '../state/cursor-registry.js';
import { SessionRegistry } from '../state/session-registry.js';

export interface StoreServerOptions {
  engine: StoreEngine;
  /** When set, clients must authenticate with SCRAM-SHA-256 as this user. */
  credentials?: StoredCredentials;
  /** Idle cursors are closed after this long (MongoDB: 10 minutes). */
  cursorTimeoutMs?: number;
  /** An idle open transaction is aborted after this long (transactionLifetimeLimitSeconds: 60 s). */
  txnLifetimeMs?: number;
  /** How often expired TTL documents are deleted (MongoDB: every 60 s). */
  ttlIntervalMs?: number;
  log?: Logger;
}

/** Unix socket paths live in sockaddr_un.sun_path: 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

const SESSION_RETENTION_MS = 30 * 60_000;

/** The listener: accepts clients on a Unix socket or on 127.0.0.1, and runs the housekeeping timers. */
export class StoreServer {
  readonly state: ServerState;
  private readonly net: net.Server;
  private readonly connections = new Set<ClientConnection>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly log: Logger;
  private nextConnectionId = 1;
  private socketPath: string | undefined;

  constructor(private readonly options: StoreServerOptions) {
    this.log = options.log ?? ((message) => process.stderr.write(`[embedded-mongo] ${message}\n`));
    const cursors = new CursorRegistry(options.cursorTimeoutMs ?? 10 * 60_000);
    const sessions = new SessionRegistry(options.engine, options.txnLifetimeMs ?? 60_000, (key) =>
      cursors.killSession(key),
    );
    this.state = {
      engine: options.engine,
      cursors,
      sessions,
      scram: options.credentials ? new ScramServer(options.credentials) : undefined,
      startedAt: Date.now(),
      address: '',
      stats: { currentConnections: 0, totalConnections: 0 },
    };
    this.net = net.createServer((socket) => this.accept(socket));
    this.net.on('error', (err) => this.log(`listener error: ${err.message}`));
  }

  /** Listens on a Unix socket readable and writable by the owner only. */
  async listenUnix(socketPath: string): Promise<void> {
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
      throw new Error(
        `the store's socket path is ${Buffer.byteLength(socketPath)} bytes, over the ${MAX_SOCKET_PATH_BYTES}-byte ` +
          `limit of Unix sockets: use a shorter data directory (${socketPath})`,
      );
    }
    await removeStaleSocket(socketPath);
    await this.listen({ path: socketPath, exclusive: true });
    this.socketPath = socketPath;
    this.state.address = socketPath;
    chmodSync(socketPath, 0o600);
    this.startTimers();
  }

  /** Listens on 127.0.0.1 only; returns the port (useful with port 0). */
  async listenTcp(port: number): Promise<number> {
    await this.listen({ host: '127.0.0.1', port, exclusive: true });
    this.startTimers();
    const bound = (this.net.address() as net.AddressInfo).port;
    this.state.address = `127.0.0.1:${bound}`;
    return bound;
  }

  /**
   * Stops accepting, closes every client, and aborts open transactions (their changes never reach disk).
   * The engine itself is closed by the owner.
   */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    const closed = new Promise<void>((resolve) => this.net.close(() => resolve()));
    for (const conn of this.connections) conn.destroy();
    await closed;
    this.state.sessions.abortAll();
    this.state.cursors.killAll();
    if (this.socketPath) {
      try {
        unlinkSync(this.socketPath);
      } catch {
        // already gone
      }
    }
  }

  private listen(options: net.ListenOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.net.once('error', onError);
      this.net.listen(options, () => {
        this.net.off('error', onError);
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    const id = this.nextConnectionId++;
    this.state.stats.currentConnections++;
    this.state.stats.totalConnections++;
    const conn = new ClientConnection(socket, this.state, id, this.log, (c) => {
      this.connections.delete(c);
      this.state.stats.currentConnections--;
      this.state.cursors.killConnection(id);
    });
    this.connections.add(conn);
  }

  private startTimers(): void {
    const { engine, sessions, cursors } = this.state;
    const ttlEvery = this.options.ttlIntervalMs ?? 60_000;
    const ttl = setInterval(() => {
      try {
        engine.expireTtl();
      } catch (err) {
        this.log(`TTL pass failed: ${(err as Error).message}`);
      }
    }, ttlEvery);
    const cursorTimeout = this.options.cursorTimeoutMs ?? 10 * 60_000;
    const reaper = setInterval(
      () => {
        cursors.reapIdle();
        sessions.prune(SESSION_RETENTION_MS);
      },
      Math.max(20, Math.min(cursorTimeout / 2, 60_000)),
    );
    ttl.unref();
    reaper.unref();
    this.timers.push(ttl, reaper);
  }
}

/** A socket file left by a crashed store is removed; one that still answers belongs to a running store. */
export async function removeStaleSocket(socketPath: string): Promise<void> {
  try {
    if (!lstatSync(socketPath).isSocket()) {
      throw new Error(`${socketPath} exists and is not a socket; refusing to replace it`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`another store is already listening on ${socketPath}`);
  unlinkSync(socketPath);
}
