import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { BSON } from 'bson';
import { DB_FILE, FORMAT_VERSION } from '../../../src/embedded-mongo/storage/sqlite-store.js';
import { GroupCommit } from '../../../src/embedded-mongo/engine/group-commit.js';
import { openEngine } from '../../../src/embedded-mongo/engine/engine.js';
import { tempEngine } from '../support/temp-engine.js';

describe('engine: storage', () => {
  it('creates the data folder and files owner-only', async () => {
    const t = tempEngine();
    try {
      t.engine.insert('d', 'c', [{ a: 1 }], true);
      await t.engine.whenDurable();
      expect(fs.statSync(t.dir).mode & 0o777).to.equal(0o700);
      for (const f of fs.readdirSync(t.dir)) {
        expect(fs.statSync(path.join(t.dir, f)).mode & 0o777, f).to.equal(0o600);
      }
    } finally {
      t.cleanup();
    }
  });

  it('holds the data folder exclusively until closed, then frees it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sabaq-engine-'));
    try {
      const first = openEngine({ dataDir: dir });
      expect(() => openEngine({ dataDir: dir })).to.throw(`data folder ${dir} is in use`);
      first.insert('d', 'c', [{ _id: 1 }], true);
      first.close();
      const again = openEngine({ dataDir: dir });
      expect(again.count('d', 'c')).to.equal(1);
      again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to open a data file of a newer format version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sabaq-engine-'));
    try {
      openEngine({ dataDir: dir }).close();
      const db = new Database(path.join(dir, DB_FILE));
      db.pragma(`user_version = ${FORMAT_VERSION + 1}`);
      db.close();
      expect(() => openEngine({ dataDir: dir })).to.throw(/newer than this program supports/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a version 1 data file is rekeyed: a document whose _id is a document is updated in place, not doubled', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sabaq-engine-'));
    try {
      openEngine({ dataDir: dir }).close();
      // As version 1 stored it: the key of {_id: {room: 'a,sb'}} in that version's encoding.
      const db = new Database(path.join(dir, DB_FILE));
      db.prepare('INSERT INTO documents (ns, id, doc) VALUES (?, ?, ?)').run(
        'd.c',
        'O{"room":sa,sb}',
        BSON.serialize({ _id: { room: 'a,sb' }, seats: 1 }),
      );
      db.pragma('user_version = 1');
      db.close();

      const engine = openEngine({ dataDir: dir });
      engine.update('d', 'c', [{ q: { _id: { room: 'a,sb' } }, u: { $set: { seats: 2 } } }], true);
      engine.close();
      const again = openEngine({ dataDir: dir });
      expect(again.find('d', 'c', {}).map((d) => d.seats as number)).to.deep.equal([2]);
      again.close();
      const file = new Database(path.join(dir, DB_FILE), { readonly: true });
      expect(file.pragma('user_version', { simple: true })).to.equal(FORMAT_VERSION);
      file.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('group commit: many writes in one tick share one disk commit', async () => {
    const batches: number[] = [];
    const gc = new GroupCommit((ops) => batches.push(ops.length));
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      gc.push({ k: 'del', ns: 'd.c', id: String(i) });
      waits.push(gc.whenDurable());
    }
    await Promise.all(waits);
    expect(batches).to.deep.equal([50]);
    await gc.whenDurable();
    expect(batches).to.deep.equal([50]);
  });

  it('group commit: a failed disk commit rejects the waiters and refuses further writes', async () => {
    const gc = new GroupCommit(() => {
      throw new Error('disk full');
    });
    gc.push({ k: 'del', ns: 'd.c', id: '1' });
    let rejected: unknown;
    await gc.whenDurable().catch((e: unknown) => (rejected = e));
    expect(rejected).to.be.instanceOf(Error).with.property('message', 'disk full');
    expect(() => gc.assertHealthy()).to.throw(/refuses writes/);
  });

  it('renames collections and drops databases, on disk too', async () => {
    const t = tempEngine();
    try {
      t.engine.createIndexes('d', 'a', [{ key: { x: 1 }, name: 'x_1', unique: true }]);
      t.engine.insert('d', 'a', [{ x: 1 }, { x: 2 }], true);
      t.engine.insert('d', 'b', [{ y: 1 }], true);
      t.engine.insert('other', 'z', [{ z: 1 }], true);
      expect(() => t.engine.renameCollection('d', 'a', 'd', 'b', false))
        .to.throw()
        .with.property('code', 48);
      expect(() => t.engine.renameCollection('d', 'nope', 'd', 'q', false))
        .to.throw()
        .with.property('code', 26);
      t.engine.renameCollection('d', 'a', 'd', 'b', true);
      const dup = t.engine.insert('d', 'b', [{ x: 1 }], true).writeErrors[0]!;
      expect(dup.errmsg).to.contain('collection: d.b index: x_1');
      t.engine.dropDatabase('other');
      await t.engine.whenDurable();
      const e = t.reopen();
      expect(e.listCollections('d').map((c) => c.name)).to.deep.equal(['b']);
      expect(e.count('d', 'b')).to.equal(2);
      expect(e.listDatabases().map((d) => d.name)).to.deep.equal(['d']);
    } finally {
      t.cleanup();
    }
  });

  it('reports real counts and sizes in listDatabases, dbStats and collStats', () => {
    const t = tempEngine();
    try {
      t.engine.insert('d', 'c', [{ s: 'x'.repeat(100) }, { s: 'y' }], true);
      const stats = t.engine.collStats('d', 'c');
      expect(stats.count).to.equal(2);
      expect(stats.size).to.be.greaterThan(100);
      expect(stats.nindexes).to.equal(1);
      const db = t.engine.dbStats('d');
      expect(db).to.include({ collections: 1, objects: 2, dataSize: stats.size });
      expect(t.engine.listDatabases()).to.deep.equal([{ name: 'd', sizeOnDisk: stats.size, empty: false }]);
      expect(() => t.engine.collStats('d', 'none'))
        .to.throw()
        .with.property('code', 26);
    } finally {
      t.cleanup();
    }
  });

  it('after a failed disk commit the engine rejects the pending write and refuses further writes', async () => {
    const t = tempEngine();
    try {
      t.engine.insert('d', 'c', [{ _id: 1 }], true);
      await t.engine.whenDurable();
      // Pull the database out from under the engine so its next commit fails.
      (t.engine as unknown as { store: { close(): void } }).store.close();
      t.engine.insert('d', 'c', [{ _id: 2 }], true);
      let failure: unknown;
      await t.engine.whenDurable().catch((e: unknown) => (failure = e));
      expect(failure).to.be.instanceOf(Error);
      expect(() => t.engine.insert('d', 'c', [{ _id: 3 }], true)).to.throw(/refuses writes/);
    } finally {
      fs.rmSync(t.dir, { recursive: true, force: true });
    }
  });
});
