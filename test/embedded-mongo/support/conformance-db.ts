/**
 * Shared plumbing for the conformance suite. Every test file works in its own database on the run's
 * store (testStoreUri), so the same files run unchanged against a real MongoDB when MONGODB_URI is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { testStoreUri } from './test-store.js';

/** True when the suite runs against a real MongoDB rather than the embedded store. */
export function usingRealMongo(): boolean {
  return Boolean(process.env.MONGODB_URI);
}

export interface ConformanceDb {
  readonly client: MongoClient;
  readonly db: Db;
}

/**
 * Registers before/after hooks that open one client and give the file a clean database named `dbName`,
 * dropped before (left-overs of an aborted run) and after (to leave the store as found).
 */
export function useConformanceDb(dbName: string): ConformanceDb {
  let client: MongoClient | undefined;
  const handle = {
    get client(): MongoClient {
      if (!client) throw new Error('conformance client used outside its hooks');
      return client;
    },
    get db(): Db {
      return handle.client.db(dbName);
    },
  };
  before(async function () {
    this.timeout(30_000);
    client = await MongoClient.connect(await testStoreUri());
    await client.db(dbName).dropDatabase();
  });
  after(async function () {
    this.timeout(30_000);
    if (!client) return;
    await client.db(dbName).dropDatabase();
    await client.close();
    client = undefined;
  });
  return handle;
}

/** Awaits `action`, expects it to fail with a server error of `code`, and returns that error. */
export async function expectServerError(action: Promise<unknown>, code: number): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await action;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected server error ${code}, but the operation succeeded`).to.be.instanceOf(
    MongoServerError,
  );
  const serverError = caught as MongoServerError;
  expect(serverError.code, serverError.message).to.equal(code);
  return serverError;
}

/** Polls `probe` until it returns true or `timeoutMs` passes; returns whether it became true. */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface PrivateStore {
  readonly store: EmbeddedMongo;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts an embedded store of its own in a temp dir, with `env` applied while it starts (the worker
 * thread copies process.env when it is created), for tests that need a store-wide knob.
 */
export async function startPrivateStore(env: Record<string, string> = {}): Promise<PrivateStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sabaq-conf-store-'));
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  let store: EmbeddedMongo;
  try {
    store = await startEmbeddedMongo({ dataDir });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return {
    store,
    dataDir,
    async close() {
      await store.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
