/** The baseline: bare Express 5 rendering one EJS template of a given size, in a process of its own. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export async function startBare(
  pageBytes: number,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench', 'support', 'bare-server.ts')],
    {
      env: { ...process.env, NODE_ENV: 'production', PAGE_BYTES: String(pageBytes) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const url = /listening on (\S+)/.exec(chunk.toString())![1]!;
  return {
    url,
    pid: child.pid!,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
