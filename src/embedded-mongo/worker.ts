/**
 * Entry of the store's worker thread: opens the engine and the listener, reports the URI to the parent,
 * and shuts both down on request. Running the store here keeps long queries off the app's event loop.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { loadOrCreateCredentials } from './auth/credentials.js';
import { openEngine } from './engine/engine.js';
import type { StoreEngine } from './engine/engine-api.js';
import { removeStaleSocket, StoreServer } from './server/store-server.js';

export interface WorkerInput {
  dataDir: string;
  port?: number;
}

export type WorkerMessage =
  { type: 'ready'; uri: string } | { type: 'failed'; message: string } | { type: 'stopped' };

function envMs(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number of milliseconds`);
  return value;
}

export async function runStore(input: WorkerInput): Promise<{ uri: string; stop: () => Promise<void> }> {
  const dataDir = path.resolve(input.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The folder guards the socket and the credentials: owner only, even if it existed before.
  chmodSync(dataDir, 0o700);
  const socketPath = path.join(dataDir, 'mongod.sock');
  // A live socket means a running store: refuse before anything else. A store listening on TCP has no
  // socket, so opening the engine is the real guard: it locks the data file for this process alone.
  await removeStaleSocket(socketPath);
  const engine: StoreEngine = openEngine({ dataDir });
  let server: StoreServer | undefined;
  try {
    const creds = input.port === undefined ? undefined : loadOrCreateCredentials(dataDir);
    server = new StoreServer({
      engine,
      credentials: creds,
      cursorTimeoutMs: envMs('SABAQ_CURSOR_TIMEOUT_MS'),
      txnLifetimeMs: envMs('SABAQ_TXN_LIFETIME_MS'),
      ttlIntervalMs: envMs('SABAQ_TTL_INTERVAL_MS'),
    });
    let uri: string;
    if (input.port === undefined) {
      await server.listenUnix(socketPath);
      // The driver takes a host ending in .sock, URL-encoded, as a Unix socket path.
      uri = `mongodb://${encodeURIComponent(socketPath)}/?directConnection=true`;
    } else {
      const port = await server.listenTcp(input.port);
      const auth = `${encodeURIComponent(creds!.user)}:${encodeURIComponent(creds!.password)}@`;
      uri = `mongodb://${auth}127.0.0.1:${port}/?authSource=admin&directConnection=true`;
    }
    const running = server;
    return {
      uri,
      stop: async () => {
        await running.close();
        await engine.whenDurable();
        engine.close();
      },
    };
  } catch (err) {
    await server?.close().catch(() => undefined);
    engine.close();
    throw err;
  }
}

if (parentPort) {
  const port = parentPort;
  const post = (message: WorkerMessage): void => port.postMessage(message);
  runStore(workerData as WorkerInput).then(
    (store) => {
      port.on('message', (message: { type?: string }) => {
        if (message.type !== 'stop') return;
        store.stop().then(
          () => {
            post({ type: 'stopped' });
            port.close();
          },
          (err: unknown) => {
            post({ type: 'failed', message: `stopping the store failed: ${(err as Error).message}` });
            port.close();
          },
        );
      });
      post({ type: 'ready', uri: store.uri });
    },
    (err: unknown) => {
      post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
      port.close();
    },
  );
}
