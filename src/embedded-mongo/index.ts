/**
 * Public interface of the embedded MongoDB-compatible store.
 *
 * startEmbeddedMongo starts the store in a worker thread (so long queries never stall the app's event
 * loop) and resolves once it accepts connections. By default it listens on a Unix domain socket inside
 * dataDir (owner-only) and opens no TCP port; with `port` it binds 127.0.0.1 and requires SCRAM-SHA-256.
 */
export interface EmbeddedMongoOptions {
  dataDir: string;
  /** TCP port on 127.0.0.1 (0 picks a free one). Absent: Unix socket only. */
  port?: number;
}

export interface EmbeddedMongo {
  /** A mongodb:// URI the driver and mongoose accept as is (socket path URL-encoded, or credentials). */
  uri: string;
  stop(): Promise<void>;
}

export { startEmbeddedMongo } from './start.js';
