/**
 * Public interface of the embedded MongoDB-compatible store.
 *
 * startEmbeddedMongo starts the store in a worker thread (so long queries never stall the app's event
 * loop) and resolves once it accepts connections. By default it listens on a Unix domain socket inside
 * dataDir (owner-only) and opens no TCP port; with `port` it binds 127.0.0.1 and requires SCRAM-SHA-256.
 */
export type { EmbeddedMongo, EmbeddedMongoOptions } from './start.js';
export { startEmbeddedMongo } from './start.js';
