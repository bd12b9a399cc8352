/**
 * Runs the embedded store on its own: `npm run db -- [--port N] [--dbpath DIR]`.
 * Prints exactly one line on stdout when ready (the connection URI); everything else goes to stderr.
 * Without --port it listens on a Unix socket in the data folder and needs no credentials; with --port it
 * binds 127.0.0.1 and requires the generated credentials, which the URI carries.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from '../embedded-mongo/index.js';

const USAGE =
  'usage: npm run db -- [--port <0-65535>] [--dbpath <dir>]   (default dbpath: ./data; no port: Unix socket)';

function parseOptions(argv: string[]): EmbeddedMongoOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      dbpath: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const options: EmbeddedMongoOptions = { dataDir: values.dbpath ?? './data' };
  if (options.dataDir.trim() === '') throw new Error('--dbpath must not be empty');
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
      throw new Error(`--port must be an integer from 0 to 65535, got '${values.port}'`);
    }
    options.port = Number(values.port);
  }
  return options;
}

async function main(): Promise<void> {
  let options: EmbeddedMongoOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  // Handlers go in before the URI is printed: whoever reads that line may signal at once, and a signal
  // that beats the handlers would kill the process without stopping the store cleanly.
  let requested: string | undefined;
  let stop: ((signal: string) => void) | undefined = undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (requested) return;
      requested = signal;
      stop?.(signal);
    });
  }
  const store = await startEmbeddedMongo(options);
  stop = (signal) => {
    process.stderr.write(`${signal}: stopping the store\n`);
    store.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stopping failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.stdout.write(`${store.uri}\n`);
  process.stderr.write(`embedded store ready (data in ${options.dataDir}); Ctrl-C to stop\n`);
  if (requested) stop(requested);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
