import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { Config } from './config/config.js';
import { loadOrCreateSessionSecret } from './config/session-secret.js';
import type { Logger } from './core/logger.js';
import { createMailer } from './core/mailer.js';
import { openDatabase, type Database } from './core/database.js';
import type { FileStore } from './core/file-store.js';
import { createSessionStore } from './core/session.js';
import { createApp } from './app.js';
import { loadLocaleResources } from './core/i18n.js';
import { loadAssets } from './core/assets.js';
import { diskFileStore } from './files/disk-file-store.js';
import { gridFsFileStore } from './files/gridfs-file-store.js';
import { addAcceptHandles } from './core/accept-handles.js';
import { inTurns } from './core/request-turns.js';

/** Connections taken in per turn of a busy event loop: the server's own handle and these (accept-handles.ts). */
export const EXTRA_ACCEPT_HANDLES = 7;
/**
 * Pending connections the kernel queues for the app. A training room's phones connect at once when a quiz
 * opens; Node's default queue of 511 resets the rest (the quiz burst bench lost a quarter of 2,000 members).
 */
export const BACKLOG = 4096;

/**
 * The app as a running server: store → connect → createApp → listen, and the graceful stop. server.ts
 * (npm start) and the demo command share it, so the demo runs exactly what production runs.
 */
export interface AppServer {
  url: string;
  db: Database;
  fileStore: FileStore;
  server: Server;
  /** Stops accepting, finishes requests in flight, closes the database. */
  stop(): Promise<void>;
}

/** Where uploaded files go, as configured: on this machine's disk, or in the database (GridFS). */
export function openFileStore(config: Pick<Config, 'fileStore' | 'uploadsDir'>, db: Database): FileStore {
  return config.fileStore === 'gridfs'
    ? gridFsFileStore(db.connection.db!)
    : diskFileStore(path.resolve(config.uploadsDir));
}

export async function startAppServer(config: Config, logger: Logger): Promise<AppServer> {
  let sessionSecret = config.sessionSecret;
  if (!sessionSecret) {
    const { secret, created } = loadOrCreateSessionSecret(config.dataDir);
    sessionSecret = secret;
    if (config.isProduction) {
      logger.warn(
        'SESSION_SECRET is not set: using the secret kept in DATA_DIR. Set SESSION_SECRET when several instances run.',
      );
    } else if (created) {
      logger.info('generated a session secret in DATA_DIR');
    }
  }

  const db = await openDatabase(config, logger);
  const sessionStore = createSessionStore(db.connection.getClient(), db.connection.name);
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const fileStore = openFileStore(config, db);
  const app = createApp({
    config,
    locales: loadLocaleResources(),
    assets: await loadAssets(),
    connection: db.connection,
    sessionStore,
    sessionSecret,
    sessionPolicy: config.session,
    fileStore,
    uploadLimits: config.uploadLimits,
    logger,
    mailer,
  });
  const server = createServer(inTurns(app));
  // An idle kept-alive connection stays open longer than a member thinks over a question: closed after 5 s
  // (Node's default), a phone's next save could race the close and be reset (the quiz burst bench lost 28
  // of 32,000 saves that way). Shutdown is not held up by them: server.close() ends idle connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: config.host, backlog: BACKLOG }, () => resolve());
  }).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  const acceptors = await addAcceptHandles(server, EXTRA_ACCEPT_HANDLES, { backlog: BACKLOG }).catch(
    (err: unknown) => {
      // Not fatal: the server accepts as before, one connection per turn of its event loop.
      logger.warn(
        { err },
        'could not add accepting handles; new connections may wait while the server is busy',
      );
      return { count: 0, close: () => Promise.resolve() };
    },
  );
  const { port } = server.address() as AddressInfo;
  const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    db,
    fileStore,
    server,
    async stop() {
      // close() stops accepting and waits for requests in flight; idle keep-alive sockets are closed now,
      // and the sockets of requests still in flight as soon as their response is done, rather than after
      // the keep-alive timeout.
      const acceptorsClosed = acceptors.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      await closed;
      await acceptorsClosed;
      clearInterval(sweep);
      await db.close();
    },
  };
}
