import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './worker.js';

const STOP_TIMEOUT_MS = 15_000;

export interface EmbeddedMongoOptions {
  dataDir: string;
  /** TCP port on 127.0.0.1 (0 picks a free one). Absent: Unix socket only. */
  port?: number;
}

export interface EmbeddedMongo {
  /** A mongodb:// URI the driver and mongoose accept as is (socket path URL-encoded, or credentials). */
  uri: string;
  stop(): Promise<void>;
}

/**
 * Under tsx (tests, `npm start`) this file is TypeScript and so is the worker; Node 20 cannot start a .ts
 * worker even with `--import tsx` in execArgv (the entry is resolved before the hooks load), so a tiny
 * JavaScript bootstrap registers tsx inside the worker first. From dist/ the worker is plain JavaScript.
 */
function tsxApiUrl(): string {
  // tsx may run this file as CommonJS (under mocha), where import.meta.resolve does not exist; its CJS
  // build of the API cannot be used from ESM, so fall back to the ESM build's place in the package.
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(path.join(path.dirname(packageJson), 'dist/esm/api/index.mjs')).href;
}

function spawnWorker(input: WorkerInput): Worker {
  const fromTypeScript = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(fromTypeScript ? './worker.ts' : './worker.js', import.meta.url);
  if (!fromTypeScript) return new Worker(workerUrl, { workerData: input });
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl())})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: input });
}

export function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const input: WorkerInput = { dataDir: path.resolve(options.dataDir) };
  if (options.port !== undefined) {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      return Promise.reject(new Error(`invalid port ${String(options.port)}: use 0-65535`));
    }
    input.port = options.port;
  }
  const worker = spawnWorker(input);
  let stopped: Promise<void> | undefined;

  return new Promise((resolve, reject) => {
    let ready = false;
    const exited = new Promise<number>((resolveExit) => worker.once('exit', resolveExit));

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready' && !ready) {
        ready = true;
        resolve({ uri: message.uri, stop });
      } else if (message.type === 'failed') {
        const error = new Error(`embedded store: ${message.message}`);
        if (!ready) reject(error);
        else process.stderr.write(`${error.message}\n`);
      }
    });
    worker.on('error', (err) => {
      if (!ready) reject(new Error(`embedded store failed to start: ${err.message}`, { cause: err }));
      else process.stderr.write(`embedded store worker crashed: ${err.stack ?? err.message}\n`);
    });
    void exited.then((code) => {
      if (!ready) reject(new Error(`embedded store worker exited with code ${code} before it was ready`));
      else if (!stopped)
        process.stderr.write(`embedded store worker exited unexpectedly with code ${code}\n`);
    });

    function stop(): Promise<void> {
      stopped ??= (async () => {
        worker.postMessage({ type: 'stop' });
        const timeout = new Promise<'timeout'>((r) =>
          setTimeout(() => r('timeout'), STOP_TIMEOUT_MS).unref(),
        );
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          process.stderr.write('embedded store did not stop in time; terminating its worker\n');
          await worker.terminate();
        }
      })();
      return stopped;
    }
  });
}
