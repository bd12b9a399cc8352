/**
 * npm run seed:demo [-- --force] — loads the demo (people, two courses, the April 2019 round and its
 * members' progress and certificates) into the database of this configuration. Refuses a database that
 * has people or courses; --force loads into an organisation that is set up but has neither. Rules and
 * content: src/cli/demo/seed.ts and demo/courses.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { openDatabase } from '../core/database.js';
import { openFileStore } from '../app-server.js';
import { DemoRefused, describeLogins, seedDemo } from './demo/seed.js';

function fail(message: string, code: number): never {
  process.stderr.write(`seed:demo: ${message}\n`);
  process.exit(code);
}

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } }, strict: true });
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message, 78);
  throw err;
}
const started = performance.now();
const db = await openDatabase(config, createLogger('warn'));
try {
  const files = openFileStore(config, db);
  const summary = await seedDemo({ files, limits: config.uploadLimits }, { force: values.force });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `Loaded the demo in ${seconds} s: ${summary.people} people, ${summary.courses.length} courses ` +
      `(${summary.courses.map((c) => c.slug).join(', ')}), one round, ${summary.certificates} certificates.\n` +
      `Sign in as:\n${describeLogins()}\n`,
  );
} catch (err) {
  if (err instanceof DemoRefused) {
    process.stderr.write(`seed:demo: ${err.message}\n`);
    process.exitCode = 1;
  } else throw err;
} finally {
  await db.close();
}
