import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient, MongoServerError } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { RawClient, socketPathOf } from './raw-client.js';

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('expected the command to fail');
}

describe('embedded store security', function () {
  const dirs: string[] = [];
  function tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ss-'));
    dirs.push(dir);
    return dir;
  }
  after(function () {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('default (Unix socket)', function () {
    let store: EmbeddedMongo;
    let dataDir: string;
    before(async function () {
      dataDir = tempDir();
      store = await startEmbeddedMongo({ dataDir });
    });
    after(async function () {
      await store.stop();
    });

    it('listens on an owner-only socket inside an owner-only data folder, with no TCP port in the URI', function () {
      const socketPath = socketPathOf(store.uri);
      expect(path.dirname(socketPath)).to.equal(dataDir);
      expect(statSync(socketPath).isSocket()).to.equal(true);
      expect(mode(socketPath)).to.equal(0o600);
      expect(mode(dataDir)).to.equal(0o700);
      expect(store.uri).to.match(/^mongodb:\/\/%2F.*\.sock\/\?directConnection=true$/);
    });

    it('serves the driver through the socket URI without credentials', async function () {
      const client = new MongoClient(store.uri);
      try {
        await client.db('sec').collection('x').insertOne({ a: 1 });
        expect(await client.db('sec').collection('x').countDocuments()).to.equal(1);
      } finally {
        await client.close();
      }
    });

    it('refuses to start a second store on the same data folder while the first runs', async function () {
      let error: unknown;
      try {
        const second = await startEmbeddedMongo({ dataDir });
        await second.stop();
      } catch (err) {
        error = err;
      }
      expect((error as Error).message).to.match(/already listening/);
      const client = new MongoClient(store.uri);
      try {
        expect(await client.db('admin').command({ ping: 1 })).to.deep.include({ ok: 1 });
      } finally {
        await client.close();
      }
    });

    it('replaces a socket file left behind by a killed process', async function () {
      const dir = tempDir();
      const socketPath = path.join(dir, 'mongod.sock');
      const child = spawn(process.execPath, [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`,
      ]);
      await new Promise((resolve) => child.stdout.once('data', resolve));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(statSync(socketPath).isSocket(), 'the killed process left its socket').to.equal(true);
      const revived = await startEmbeddedMongo({ dataDir: dir });
      try {
        const client = new MongoClient(revived.uri);
        try {
          expect(await client.db('admin').command({ ping: 1 })).to.deep.include({ ok: 1 });
        } finally {
          await client.close();
        }
      } finally {
        await revived.stop();
      }
    });

    it('fails clearly when the socket path would exceed the Unix limit', async function () {
      const deep = path.join(tempDir(), 'x'.repeat(110));
      let error: unknown;
      try {
        const s = await startEmbeddedMongo({ dataDir: deep });
        await s.stop();
      } catch (err) {
        error = err;
      }
      expect((error as Error).message).to.match(/socket path .*limit/);
    });
  });

  describe('with a TCP port', function () {
    let store: EmbeddedMongo;
    let dataDir: string;
    let port: number;
    before(async function () {
      dataDir = tempDir();
      store = await startEmbeddedMongo({ dataDir, port: 0 });
      port = Number(/@127\.0\.0\.1:(\d+)\//.exec(store.uri)?.[1]);
    });
    after(async function () {
      await store.stop();
    });

    it('binds 127.0.0.1 and puts generated credentials in the URI, stored owner-only', function () {
      expect(store.uri).to.match(
        /^mongodb:\/\/sabaq:[^@]+@127\.0\.0\.1:\d+\/\?authSource=admin&directConnection=true$/,
      );
      const file = path.join(dataDir, 'credentials.json');
      expect(mode(file)).to.equal(0o600);
      const creds = JSON.parse(readFileSync(file, 'utf8')) as { password: string; storedKey: string };
      expect(Buffer.from(creds.password, 'base64url')).to.have.length(32);
      expect(creds.storedKey).to.be.a('string').and.not.equal(creds.password);
    });

    it('lets an unauthenticated client say hello but refuses data commands with 13', async function () {
      const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`);
      try {
        const hello = await client.db('admin').command({ hello: 1 });
        expect(hello.isWritablePrimary).to.equal(true);
        const find = await serverError(client.db('sec').collection('x').findOne({}));
        expect(find.code).to.equal(13);
        expect(find.message).to.equal('Command find requires authentication');
        const list = await serverError(client.db('admin').command({ listDatabases: 1 }));
        expect(list.code).to.equal(13);
      } finally {
        await client.close();
      }
    });

    it('rejects a wrong password with 18 AuthenticationFailed', async function () {
      const client = new MongoClient(
        `mongodb://sabaq:wrong-password@127.0.0.1:${port}/?authSource=admin&directConnection=true`,
        {
          serverSelectionTimeoutMS: 3000,
        },
      );
      try {
        const err = await serverError(client.connect());
        expect(err.code).to.equal(18);
        expect(err.message).to.equal('Authentication failed.');
      } finally {
        await client.close();
      }
    });

    it('rejects an unknown user with 18', async function () {
      const password = encodeURIComponent(new URL(store.uri).password);
      const client = new MongoClient(
        `mongodb://mallory:${password}@127.0.0.1:${port}/?authSource=admin&directConnection=true`,
        {
          serverSelectionTimeoutMS: 3000,
        },
      );
      try {
        expect((await serverError(client.connect())).code).to.equal(18);
      } finally {
        await client.close();
      }
    });

    it('serves a client with the right credentials', async function () {
      const client = new MongoClient(store.uri);
      try {
        await client.db('sec').collection('x').insertOne({ a: 1 });
        const docs = await client
          .db('sec')
          .collection('x')
          .find({}, { projection: { _id: 0 } })
          .toArray();
        expect(docs).to.deep.equal([{ a: 1 }]);
        const status = await client.db('admin').command({ connectionStatus: 1 });
        expect(status.authInfo.authenticatedUsers).to.deep.equal([{ user: 'sabaq', db: 'admin' }]);
      } finally {
        await client.close();
      }
    });

    it('refuses raw unauthenticated commands before any auth', async function () {
      const raw = await RawClient.connect(port);
      try {
        expect((await raw.command('sec', { find: 'x' })).code).to.equal(13);
        expect(await raw.command('admin', { ping: 1 })).to.deep.include({ ok: 1 });
        expect(
          (await raw.command('admin', { saslContinue: 1, payload: Buffer.from('c=biws') })).code,
        ).to.equal(18);
      } finally {
        await raw.close();
      }
    });

    it('reuses the stored credentials after a restart', async function () {
      const firstUri = store.uri;
      await store.stop();
      store = await startEmbeddedMongo({ dataDir, port: 0 });
      expect(new URL(store.uri).password).to.equal(new URL(firstUri).password);
      const client = new MongoClient(store.uri);
      try {
        expect(await client.db('sec').collection('x').countDocuments()).to.equal(1);
      } finally {
        await client.close();
      }
    });
  });
});
