import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';

const root = path.resolve(import.meta.dirname, '../../..');

function runCli(args: string[]): {
  firstLine: Promise<string>;
  exit: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/db.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error(`exited before printing a line`)));
  });
  firstLine.catch(() => undefined);
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // A signal death (code null) would otherwise fail with no clue: say which signal and what was printed.
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code === null && signal !== 'SIGKILL')
        process.stderr.write(`db CLI died by ${signal}; stderr: ${err}\n`);
      resolve(code);
    }),
  );
  return { firstLine, exit, stdout: () => out, stderr: () => err, kill: (signal) => child.kill(signal) };
}

describe('npm run db (standalone store)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sd-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints only the URI on stdout, serves it, and exits 0 on SIGTERM', async function () {
    const cli = runCli(['--dbpath', dir]);
    const uri = await cli.firstLine;
    expect(uri).to.match(/^mongodb:\/\/%2F.*mongod\.sock\/\?directConnection=true$/);
    const client = new MongoClient(uri);
    try {
      await client.db('cli').collection('c').insertOne({ ok: true });
      expect(await client.db('cli').collection('c').countDocuments()).to.equal(1);
    } finally {
      await client.close();
    }
    cli.kill('SIGTERM');
    expect(await cli.exit).to.equal(0);
    expect(cli.stdout()).to.equal(`${uri}\n`);
  });

  it('with --port binds 127.0.0.1 with credentials and stops on SIGINT', async function () {
    const cli = runCli(['--dbpath', dir, '--port', '0']);
    const uri = await cli.firstLine;
    expect(uri).to.match(/^mongodb:\/\/sabaq:.+@127\.0\.0\.1:\d+\/\?authSource=admin&directConnection=true$/);
    cli.kill('SIGINT');
    expect(await cli.exit).to.equal(0);
  });

  it('rejects bad arguments with exit code 2', async function () {
    for (const args of [['--port', 'abc'], ['--port', '70000'], ['--bogus']]) {
      const cli = runCli([...args, '--dbpath', dir]);
      expect(await cli.exit, args.join(' ')).to.equal(2);
      expect(cli.stdout()).to.equal('');
    }
  });

  // The Unix-socket liveness probe cannot see a store that listens on TCP: only the data file's lock can.
  it('refuses a second store on the same data folder in every mode, quickly and naming the folder', async function () {
    const first = runCli(['--dbpath', dir, '--port', '0']);
    const uri = await first.firstLine;
    for (const args of [['--port', '0'], []]) {
      const started = Date.now();
      const second = runCli(['--dbpath', dir, ...args]);
      expect(await second.exit, args.join(' ')).to.equal(1);
      expect(Date.now() - started).to.be.below(10_000);
      expect(second.stdout()).to.equal('');
      expect(second.stderr()).to.include(`data folder ${dir} is in use by another running store process`);
    }
    // The refused starts touched nothing: the first store still serves and writes.
    const client = new MongoClient(uri);
    try {
      await client.db('cli').collection('c').insertOne({ still: 'mine' });
      expect(await client.db('cli').collection('c').countDocuments()).to.equal(1);
    } finally {
      await client.close();
    }
    first.kill('SIGTERM');
    expect(await first.exit).to.equal(0);
  });

  it('a store killed with SIGKILL leaves no lock behind: the next start succeeds at once', async function () {
    const first = runCli(['--dbpath', dir, '--port', '0']);
    await first.firstLine;
    first.kill('SIGKILL');
    await first.exit;
    const next = runCli(['--dbpath', dir]);
    const uri = await next.firstLine;
    expect(uri).to.include('mongod.sock');
    next.kill('SIGTERM');
    expect(await next.exit).to.equal(0);
  });
});
