/**
 * Two app processes on one database, as behind a load balancer: what one instance changes, the other
 * honours at its next request once its caches have heard of the change (within POLL_MS).
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { projectRoot } from '../../src/core/paths.js';
import { POLL_MS } from '../../src/core/shared-cache.js';
import { linkFrom } from '../helpers/factories.js';
import { testMongoUri } from '../helpers/test-db.js';
import { Browser } from '../helpers/fetch-browser.js';

/** The test store's URI with its own database, so this test's data stays apart. */
function uriWithDatabase(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}

async function startInstance(mongodbUri: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: mongodbUri,
      SESSION_SECRET: 'shared-by-both-instances-shared-by-both-instances',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`instance exited (${code}): ${out}`)));
  });
  return { url, child };
}

describe('several app instances on one database', function () {
  this.timeout(60_000);
  const instances: ChildProcess[] = [];

  after(async () => {
    await Promise.all(
      instances.map(async (c) => {
        const exited = once(c, 'exit');
        c.kill('SIGTERM');
        await exited;
      }),
    );
  });

  it('a role removed, an account disabled or a sign-out on one instance takes effect on the other within a second', async () => {
    const uri = uriWithDatabase(testMongoUri(), `sabaq_instances_${Date.now()}`);
    const a = await startInstance(uri);
    const b = await startInstance(uri);
    instances.push(a.child, b.child);

    const admin = new Browser(a.url);
    const setup = await admin.post(
      '/setup',
      {
        organisationName: 'Two Instances',
        displayName: 'Admin',
        email: 'admin@two.example',
        password: 'amber window harvest 9',
        passwordConfirm: 'amber window harvest 9',
      },
      '/setup',
    );
    expect(setup.status).to.equal(303);
    await admin.post('/login', { email: 'admin@two.example', password: 'amber window harvest 9' }, '/login');
    const created = await admin.post(
      '/admin/users',
      { email: 'coord@two.example', displayName: 'Coordinator', roles: 'coordinator' },
      '/admin/users/new',
    );
    const html = await created.text();
    const link = linkFrom(html);
    const coordinator = new Browser(a.url);
    await coordinator.post(
      link,
      { password: 'cobalt river lantern', passwordConfirm: 'cobalt river lantern' },
      link,
    );

    // The coordinator works on instance B, which caches who they are.
    coordinator.on(b.url);
    await coordinator.post(
      '/login',
      { email: 'coord@two.example', password: 'cobalt river lantern' },
      '/login',
    );
    expect((await coordinator.get('/admin/users')).status).to.equal(200);
    expect((await coordinator.get('/admin/users')).status).to.equal(200);

    const id = /href="\/people\/([0-9a-f]{24})"[^>]*>Coordinator</.exec(
      await (await admin.get('/admin/users')).text(),
    )![1]!;
    const demoted = await admin.post(`/admin/users/${id}/roles`, { roles: 'member' }, '/admin/users');
    expect(demoted.status).to.be.oneOf([200, 303]);
    await new Promise((r) => setTimeout(r, POLL_MS + 500));
    // Demoting signs them out everywhere too; either way B no longer lets them in as a coordinator.
    expect((await coordinator.get('/admin/users')).status).to.be.oneOf([303, 403]);

    await coordinator.post(
      '/login',
      { email: 'coord@two.example', password: 'cobalt river lantern' },
      '/login',
    );
    expect((await coordinator.get('/me')).status).to.equal(200);
    await admin.post(`/admin/users/${id}/status`, { status: 'disabled' }, '/admin/users');
    await new Promise((r) => setTimeout(r, POLL_MS + 500));
    expect((await coordinator.get('/me')).status, 'disabled: signed out on B').to.equal(303);

    // B keeps sessions it has read in memory; signing out on A still ends the session on B.
    admin.on(b.url);
    expect((await admin.get('/admin/users')).status).to.equal(200);
    const copiedCookie = admin.cookieHeader();
    admin.on(a.url);
    expect((await admin.post('/logout', {}, '/')).headers.get('location')).to.equal(
      '/login?notice=loggedOut',
    );
    await new Promise((r) => setTimeout(r, POLL_MS + 500));
    const replayed = await fetch(`${b.url}/admin/users`, {
      headers: { cookie: copiedCookie },
      redirect: 'manual',
    });
    expect(replayed.status, 'signed out on A: the copied cookie no longer works on B').to.equal(303);
  });
});
