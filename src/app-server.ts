import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
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
import { listenHttp } from './core/http-listener.js';

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
  const listener = await listenHttp(app, { port: config.port, host: config.host }, logger).catch(
    async (err: unknown) => {
      await db.close();
      throw err;
    },
  );
  const { server } = listener;
  const { port } = server.address() as AddressInfo;
  const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    db,
    fileStore,
    server,
    async stop() {
      await listener.close();
      await db.close();
    },
  };
}
