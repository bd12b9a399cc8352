/**
 * Mocha root hooks: one store for the whole run. With MONGODB_URI set, the suite runs against that
 * MongoDB instead of the embedded store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/embedded-mongo/index.js';
import { setTestMongoUri } from './test-db.js';
import { clearTestDb, disconnectTestDb } from './app-harness.js';

let store: EmbeddedMongo | undefined;
let dataDir: string | undefined;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(30_000);
    if (process.env.MONGODB_URI) {
      setTestMongoUri(process.env.MONGODB_URI);
      return;
    }
    dataDir = mkdtempSync(path.join(tmpdir(), 'sabaq-test-store-'));
    store = await startEmbeddedMongo({ dataDir });
    setTestMongoUri(store.uri);
  },
  /** Every test starts from an empty app database (a no-op for suites that never connect mongoose). */
  async beforeEach() {
    await clearTestDb();
  },
  async afterAll() {
    await disconnectTestDb();
    await store?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  },
};
