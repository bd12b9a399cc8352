import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createServer } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { loadOrCreateSessionSecret } from './config/session-secret.js';
import { createLogger } from './core/logger.js';
import { createMailer } from './core/mailer.js';
import { openDatabase } from './core/database.js';
import { createSessionStore } from './core/session.js';
import { createApp } from './app.js';
import { loadLocaleResources } from './core/i18n.js';
import { loadAssets } from './core/assets.js';
import { diskFileStore } from './files/disk-file-store.js';
import { gridFsFileStore } from './files/gridfs-file-store.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(
      `${err.message}\nSabaq did not start. Fix the variables above and start it again.\n`,
    );
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const logger = createLogger(config.logLevel);

// Handlers go in before anything starts: a signal that arrived between printing the URL and installing
// them would kill the process the default way, skipping the graceful stop. One that arrives while
// starting is kept and acted on once the server is up.
let pendingSignal: NodeJS.Signals | undefined;
let onSignal = (signal: NodeJS.Signals): void => {
  pendingSignal ??= signal;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => onSignal(signal));

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
const fileStore =
  config.fileStore === 'gridfs'
    ? gridFsFileStore(db.connection.db!)
    : diskFileStore(path.resolve(config.uploadsDir));
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
const server = createServer(app);
// An idle kept-alive connection stays open longer than a member thinks over a question: closed after 5 s
// (Node's default), a phone's next save could race the close and be reset (the quiz burst bench lost 28
// of 32,000 saves that way). Shutdown is not held up by them: server.close() ends idle connections.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  // A training room's phones connect at once when a quiz opens; Node's default queue of 511 pending
  // connections resets the rest (the quiz burst bench lost a quarter of 2,000 members that way).
  server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => resolve());
});
const { port } = server.address() as AddressInfo;
const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost';
// The one line tests and people look for; printed on stdout whatever the log level.
process.stdout.write(
  `Sabaq listening on http://${host.includes(':') ? `[${host}]` : host}:${port} (${db.description})\n`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  // close() stops accepting and waits for requests in flight; idle keep-alive sockets are closed now, and
  // the sockets of requests still in flight as soon as their response is done, rather than after the
  // keep-alive timeout.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  await closed;
  clearInterval(sweep);
  await db.close();
  clearTimeout(force);
  logger.info('stopped');
}

onSignal = (signal) => {
  shutdown(signal).then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
if (pendingSignal) onSignal(pendingSignal);
