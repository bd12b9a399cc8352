/**
 * The app as people run it: `src/server.ts` in a child process on a free port, its embedded store in a
 * temporary data folder. For benchmarks that measure from the outside, as a browser or a load tool would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { makeTempDir } from './bench-report.js';

export interface AppProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startAppProcess(
  options: { projectDir?: string; env?: Record<string, string>; dataDir?: string } = {},
): Promise<AppProcess> {
  const projectDir = options.projectDir ?? path.resolve(import.meta.dirname, '..', '..');
  const data = options.dataDir
    ? { dir: options.dataDir, remove: () => undefined }
    : makeTempDir('sabaq-bench-app-');
  // BENCH_APP_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=prof", profiles the app under the bench's load.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server.ts'], {
    cwd: projectDir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: data.dir,
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'bench-session-secret-bench-session-secret-0123',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      data.remove();
    },
  };
}
