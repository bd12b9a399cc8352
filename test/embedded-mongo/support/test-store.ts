/**
 * The store the conformance suite runs against: MONGODB_URI when set (a real MongoDB, to check that the
 * tests encode MongoDB's behaviour), otherwise one embedded store shared by every file of the run,
 * started on first use and stopped after the last test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';

let shared: { store: Promise<EmbeddedMongo>; dataDir: string } | undefined;

export async function testStoreUri(): Promise<string> {
  if (process.env.MONGODB_URI) return process.env.MONGODB_URI;
  if (!shared) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sabaq-conf-shared-'));
    shared = { store: startEmbeddedMongo({ dataDir }), dataDir };
  }
  return (await shared.store).uri;
}

// Registered while the test files load, so on the root suite: it runs once, after every file.
after(async function () {
  if (!shared) return;
  const { store, dataDir } = shared;
  shared = undefined;
  await (await store).stop();
  rmSync(dataDir, { recursive: true, force: true });
});
