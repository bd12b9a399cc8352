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

/** tsx's esbuild helper belongs to the group too and leaves shortly after its parent; a loaded machine needs a few seconds. */
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
    expect(await groupGoneWithin(child.pid!, 5_000)).to.equal(true);
  });

  it('a request in flight when SIGTERM arrives still gets its full response, database writes included, before exit', async () => {
    child = startServer({ DATA_DIR: dataDir, PORT: '0' });
    const exited = waitForExit(child, 45_000);
    const url = await waitForUrl(child, 40_000);
    const port = Number(new URL(url).port);
    const page = await fetch(`${url}/setup`);
    const cookie = String(page.headers.get('set-cookie')).split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const body = new URLSearchParams({
      _csrf: csrf,
      organisationName: 'Network',
      displayName: 'First Admin',
      email: 'admin@example.org',
      password: 'tall mountain orchard 7',
      passwordConfirm: 'tall mountain orchard 7',
    }).toString();
    // A slow client: the headers and half the body go out before SIGTERM, the rest after it.
    const socket = connect({ port, host: '127.0.0.1' });
    let response = '';
    socket.on('data', (c: Buffer) => (response += c.toString()));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /setup HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
        body.slice(0, 20),
    );
    await new Promise((r) => setTimeout(r, 300));

    const sentAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    socket.write(body.slice(20));
    await ended;
    const { code, signal } = await exited;
    const tookMs = Date.now() - sentAt;

    expect(response, `server output: ${output}`).to.match(/^HTTP\/1\.1 303 /);
    expect(response).to.contain('Location: /login?notice=setupDone');
    expect({ code, signal }, `server output: ${output}`).to.deep.equal({ code: 0, signal: null });
    // Not held open by the finished request's keep-alive socket (5 s).
    expect(tookMs).to.be.lessThan(4_000);
    expect(await groupGoneWithin(child.pid!, 5_000)).to.equal(true);
  });

  it('a bad configuration value stops the start with a message naming the variable', async () => {
    child = startServer({ DATA_DIR: dataDir, PORT: 'not-a-port' });
    const { code, stderr } = await waitForExit(child, 30_000);

    expect(code).to.equal(78);
    expect(stderr).to.contain('PORT: expected a port number (got "not-a-port")');
    expect(stderr).to.contain('Sabaq did not start');
  });
});
