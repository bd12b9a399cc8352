/** Builds the real app against the run's store, database "sabaq_test", as each integration suite needs it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { FileStore } from '../../src/core/file-store.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import mongoose from 'mongoose';
import { createApp, type AppDeps } from '../../src/app.js';
import { loadLocaleResources } from '../../src/core/i18n.js';
import { loadAssets } from '../../src/core/assets.js';
import { signalEverythingChanged } from '../../src/core/shared-cache.js';
import { configureMongoose } from '../../src/core/database.js';
import { bindModels, modelsReady } from '../../src/core/models.js';
import { createLogger } from '../../src/core/logger.js';
import { createSessionStore } from '../../src/core/session.js';
import { testMongoUri } from './test-db.js';

export const TEST_DB_NAME = 'sabaq_test';

let connecting: Promise<unknown> | undefined;

export async function connectTestDb(): Promise<void> {
  if (mongoose.connection.readyState === mongoose.ConnectionStates.connected) return;
  configureMongoose();
  connecting ??= mongoose.connect(testMongoUri(), { dbName: TEST_DB_NAME, serverSelectionTimeoutMS: 10_000 });
  await connecting;
  bindModels(mongoose.connection);
  // Unique and TTL indexes must exist before tests rely on them (e.g. duplicate email, concurrent setup).
  await modelsReady();
}

export async function disconnectTestDb(): Promise<void> {
  connecting = undefined;
  await mongoose.disconnect();
}

/** Empties every collection but keeps indexes, so each test starts from a fresh, first-run database. */
export async function clearTestDb(): Promise<void> {
  if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected || !mongoose.connection.db)
    return;
  const collections = await mongoose.connection.db.collections();
  await Promise.all(collections.map((c) => c.deleteMany({})));
  // Nothing read before the database was emptied may be served from memory afterwards.
  await signalEverythingChanged();
}

let files: FileStore | undefined;

/** One upload folder for the run, removed at exit; tests that count files make their own store. */
export function testFileStore(): FileStore {
  if (!files) {
    const dir = mkdtempSync(path.join(tmpdir(), 'sabaq-test-uploads-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    files = diskFileStore(dir);
  }
  return files;
}

const testLocales = loadLocaleResources();

export const TEST_SESSION_SECRET = 'test-session-secret-test-session-secret-0123456789';

/** The app on the run's database, or on the connection a suite brings (one to a database that is down). */
export async function buildTestApp(overrides: Partial<AppDeps> = {}): Promise<Express> {
  if (overrides.connection) bindModels(overrides.connection);
  else await connectTestDb();
  const connection = overrides.connection ?? mongoose.connection;
  return createApp({
    config: { isProduction: false, trustProxy: false, baseUrl: 'http://sabaq.test', env: 'test' },
    connection,
    sessionStore: createSessionStore(connection.getClient(), connection.name),
    sessionSecret: TEST_SESSION_SECRET,
    locales: testLocales,
    assets: await loadAssets(),
    fileStore: testFileStore(),
    logger: createLogger('silent'),
    ...overrides,
  });
}
