/**
 * Runs the standalone store (src/cli/db.ts) as a child process, as `npm run db` would, so a test can kill
 * it with SIGKILL and restart it on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface StoreProcess {
  readonly uri: string;
  readonly child: ChildProcess;
  /** Output the store wrote on stderr, for failure messages. */
  stderr(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function spawnStoreProcess(
  dbpath: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<StoreProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('src', 'cli', 'db.ts'), '--dbpath', dbpath, ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let errText = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errText += chunk));
  const exited = once(child, 'exit');

  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line.trim());
    });
    exited.then(
      ([code]) => reject(new Error(`store exited with ${String(code)} before it was ready: ${errText}`)),
      reject,
    );
  });
  const uri = await firstLine;

  return {
    uri,
    child,
    stderr: () => errText,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
