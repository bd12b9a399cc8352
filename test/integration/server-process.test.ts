import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/core/paths.js';

function startServer(env: Record<string, string>): ChildProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', ...env };
  delete childEnv.MONGODB_URI;
  // detached: the child leads its own process group, so we can check afterwards that nothing of it is left.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return child;
}

/** Everything the current child printed, to explain a failure. */
let output = '';

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`no URL line within ${timeoutMs} ms; output: ${out}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${out}`));
    });
  });
}

function waitForExit(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function groupIsGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** tsx's esbuild helper belongs to the group too and leaves a moment after its parent; give it one second. */
async function groupGoneWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (groupIsGone(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return groupIsGone(pid);
}

describe('the server process', function () {
  this.timeout(60_000);
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sabaq-server-'));
  });

  afterEach(() => {
    if (child?.pid && child.exitCode === null && child.signalCode === null)
      process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on the embedded store, serves requests, and on SIGTERM exits 0 within seconds leaving nothing running', async () => {
    child = startServer({ DATA_DIR: dataDir, PORT: '0' });
    const exited = waitForExit(child, 45_000);
    const url = await waitForUrl(child, 40_000);
    const port = Number(new URL(url).port);

    const health = await fetch(`${url}/readyz`);
    expect(health.status).to.equal(200);
    const secretMode = statSync(path.join(dataDir, 'session-secret')).mode & 0o777;
    expect(secretMode).to.equal(0o600);

    const sentAt = Date.now();
    child.kill('SIGTERM');
    const { code, signal } = await exited;

    expect({ code, signal }, `server output: ${output}`).to.deep.equal({ code: 0, signal: null });
    expect(Date.now() - sentAt).to.be.lessThan(5_000);
    expect(await portRefuses(port)).to.equal(true);
    expect(await groupGoneWithin(child.pid!, 1_000)).to.equal(true);
  });

  it('a bad configuration value stops the start with a message naming the variable', async () => {
    child = startServer({ DATA_DIR: dataDir, PORT: 'not-a-port' });
    const { code, stderr } = await waitForExit(child, 30_000);

    expect(code).to.equal(78);
    expect(stderr).to.contain('PORT: expected a port number (got "not-a-port")');
    expect(stderr).to.contain('Sabaq did not start');
  });
});
