/**
 * npm run demo — Sabaq with the demo loaded, on a fresh temporary data folder: starts the embedded store
 * and the app, loads the demo before the port opens, and prints the address and one account per role.
 * Ctrl-C stops it and removes the folder, so nothing of the demo is left behind. MONGODB_URI is ignored:
 * the demo never writes to a real database. PORT is honoured (3000 by default; a free one if it is taken).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { startAppServer, type AppServer } from '../app-server.js';
import { describeLogins, seedDemo } from './demo/seed.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'sabaq-demo-'));
const removeData = () => rmSync(dataDir, { recursive: true, force: true });

function configFor(port?: string): Config {
  return loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    UPLOADS_DIR: path.join(dataDir, 'uploads'),
    MONGODB_URI: '',
    FILE_STORE: 'disk',
    PORT: port ?? process.env.PORT ?? '3000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
}

let config: Config;
try {
  config = configFor();
} catch (err) {
  removeData();
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}
const logger = createLogger(config.logLevel);

let running: AppServer | undefined;
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await running?.stop();
  removeData();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stopping the demo failed');
        removeData();
        process.exit(1);
      },
    );
  });

const started = performance.now();
try {
  try {
    running = await startAppServer(config, logger);
  } catch (err) {
    // The port is taken (another Sabaq, say): a free one will do, unless PORT asked for this one.
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.env.PORT) throw err;
    config = configFor('0');
    running = await startAppServer(config, logger);
  }
  // The address is printed only once everything is loaded, so nobody opens a half-loaded demo.
  await seedDemo({ files: running.fileStore, limits: config.uploadLimits });
} catch (err) {
  await running?.stop();
  removeData();
  throw err;
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `Sabaq demo listening on ${running.url} (loaded in ${seconds} s; data in a temporary folder, removed on Ctrl-C)\n` +
    `Sign in as:\n${describeLogins()}\n`,
);
