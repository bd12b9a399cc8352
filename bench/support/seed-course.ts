/** Adds the benchmark course to the database of DATA_DIR / MONGODB_URI and prints its pages' addresses (JSON). */
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/core/database.js';
import { createLogger } from '../../src/core/logger.js';
import { addBenchCourse } from './lesson-fixture.js';

const db = await openDatabase(loadConfig(), createLogger('warn'));
try {
  process.stdout.write(`${JSON.stringify(await addBenchCourse(process.argv[2] ?? ''))}\n`);
} finally {
  await db.close();
}
