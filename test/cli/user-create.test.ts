import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/core/paths.js';

function userCreate(
  args: string[],
  stdin: string,
  dataDir: string,
): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test' };
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/user-create.ts', ...args], {
    cwd: projectRoot,
    env,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

describe('npm run user:create', function () {
  this.timeout(60_000);
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sabaq-cli-'));
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const args = [
    '--email',
    'Coord@Example.org',
    '--name',
    'Farid Noori',
    '--role',
    'coordinator',
    '--role',
    'trainer',
  ];

  it('on an empty database only an admin can be created, since the first account ends /setup', async () => {
    const refused = await userCreate(args, 'sturdy mango bicycle\n', dataDir);
    const admin = await userCreate(
      ['--email', 'first@example.org', '--name', 'First Admin', '--role', 'admin'],
      'sturdy mango bicycle\n',
      dataDir,
    );

    expect(refused.code).to.equal(1);
    expect(refused.err).to.contain('the first one must be an admin');
    expect(admin.code).to.equal(0);
    expect(admin.out).to.contain('Created first@example.org (admin)');
  });

  it('creates an account with the password read from standard input', async () => {
    const r = await userCreate(args, 'sturdy mango bicycle\n', dataDir);
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.out).to.contain('Created coord@example.org (coordinator, trainer)');
  });

  it('an existing account is a clear error with exit code 1', async () => {
    const r = await userCreate(args, 'another fine password\n', dataDir);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('email: An account with this email address already exists.');
  });

  it('a bad email or role is a clear error with exit code 2, before any password is read', async () => {
    const r = await userCreate(['--email', 'not-an-email', '--name', 'X', '--role', 'boss'], '', dataDir);
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('expected a valid email address');
    expect(r.err).to.contain('expected --role with one of: member, trainer, coordinator, admin');
  });

  it('a weak password is refused with the rule it breaks', async () => {
    const r = await userCreate(
      ['--email', 'm@example.org', '--name', 'M', '--role', 'member'],
      'short\n',
      dataDir,
    );
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('password: Use at least 10 characters.');
  });
});
