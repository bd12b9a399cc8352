import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger } from './core/logger.js';
import { startAppServer } from './app-server.js';

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

const running = await startAppServer(config, logger);
// The one line tests and people look for; printed on stdout whatever the log level.
process.stdout.write(`Sabaq listening on ${running.url} (${running.db.description})\n`);

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
  await running.stop();
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
