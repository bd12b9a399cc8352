import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Long } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { RawClient, socketPathOf } from './raw-client.js';

/** Open cursors as the store counts them, asked over a connection of its own. */
async function openCursors(client: RawClient): Promise<number> {
  const status = await client.command('admin', { serverStatus: 1 });
  return Number(status.metrics.cursor.open.total);
}

/**
 * Waits until the store reports no more than `n` open cursors: the event the test is about, however
 * long a loaded machine takes to get there (the test's timeout bounds it), instead of a fixed sleep.
 */
async function untilOpenCursorsAtMost(client: RawClient, n: number): Promise<void> {
  while ((await openCursors(client)) > n) await new Promise((resolve) => setImmediate(resolve));
}

describe('embedded store cursors', function () {
  let dataDir: string;
  let store: EmbeddedMongo;
  let socketPath: string;

  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sc-'));
    store = await startEmbeddedMongo({ dataDir });
    socketPath = socketPathOf(store.uri);
    const client = new MongoClient(store.uri);
    try {
      await client
        .db('cur')
        .collection<{ _id: number; pad: string }>('items')
        .insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, pad: 'x'.repeat(20) })));
    } finally {
      await client.close();
    }
  });

  after(async function () {
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('returns 101 documents first, then the rest through getMore in batchSize chunks', async function () {
    const c = await RawClient.connect(socketPath);
    try {
      const first = await c.command('cur', { find: 'items', sort: { _id: 1 } });
      expect(first.cursor.firstBatch).to.have.length(101);
      expect(first.cursor.ns).to.equal('cur.items');
      const id = first.cursor.id as Long;
      expect(Long.isLong(id)).to.equal(true);
      expect(id.isZero()).to.equal(false);
      const elsewhere = await c.command('cur', { getMore: id, collection: 'other', batchSize: 100 });
      expect(elsewhere).to.deep.include({ ok: 0, code: 13, codeName: 'Unauthorized' });
      const second = await c.command('cur', { getMore: id, collection: 'items', batchSize: 100 });
      expect(second.cursor.nextBatch.map((d: { _id: number }) => d._id)).to.deep.equal(
        Array.from({ length: 100 }, (_, i) => i + 101),
      );
      const last = await c.command('cur', { getMore: id, collection: 'items', batchSize: 100 });
      expect(last.cursor.nextBatch).to.have.length(49);
      expect((last.cursor.id as Long).isZero()).to.equal(true);
      const gone = await c.command('cur', { getMore: id, collection: 'items' });
      expect(gone).to.deep.include({ ok: 0, code: 43, codeName: 'CursorNotFound' });
    } finally {
      await c.close();
    }
  });

  it('honours batchSize, singleBatch and a negative limit on find', async function () {
    const c = await RawClient.connect(socketPath);
    try {
      const small = await c.command('cur', { find: 'items', batchSize: 5 });
      expect(small.cursor.firstBatch).to.have.length(5);
      const single = await c.command('cur', { find: 'items', batchSize: 5, singleBatch: true });
      expect((single.cursor.id as Long).isZero()).to.equal(true);
      const negative = await c.command('cur', { find: 'items', limit: -3 });
      expect(negative.cursor.firstBatch).to.have.length(3);
      expect((negative.cursor.id as Long).isZero()).to.equal(true);
      const killed = await c.command('cur', { killCursors: 'items', cursors: [small.cursor.id] });
      expect(killed.cursorsKilled).to.have.length(1);
    } finally {
      await c.close();
    }
  });

  it('closes a connection’s cursors when it disconnects: getMore elsewhere answers 43', async function () {
    const other = await RawClient.connect(socketPath);
    const before = await openCursors(other);
    const owner = await RawClient.connect(socketPath);
    const first = await owner.command('cur', { find: 'items' });
    const id = first.cursor.id as Long;
    expect(id.isZero()).to.equal(false);
    expect(await openCursors(other)).to.equal(before + 1);
    await owner.close();
    await untilOpenCursorsAtMost(other, before);
    try {
      const reply = await other.command('cur', { getMore: id, collection: 'items' });
      expect(reply).to.deep.include({ ok: 0, code: 43 });
    } finally {
      await other.close();
    }
  });

  it('serves the driver’s cursors across batches (aggregate with batchSize)', async function () {
    const client = new MongoClient(store.uri);
    try {
      const ids = await client
        .db('cur')
        .collection('items')
        .aggregate([{ $match: { _id: { $gte: 10 } } }, { $project: { _id: 1 } }], { batchSize: 7 })
        .toArray();
      expect(ids).to.have.length(240);
      const listed = await client.db('cur').listCollections({ name: 'items' }).toArray();
      expect(listed.map((c) => c.name)).to.deep.equal(['items']);
    } finally {
      await client.close();
    }
  });

  it('keeps each batch under maxBsonObjectSize', async function () {
    const client = new MongoClient(store.uri);
    const c = await RawClient.connect(socketPath);
    try {
      const big = 'y'.repeat(2 * 1024 * 1024);
      await client
        .db('cur')
        .collection<{ _id: number; big: string }>('big')
        .insertMany(Array.from({ length: 12 }, (_, i) => ({ _id: i, big })));
      const first = await c.command('cur', { find: 'big', batchSize: 100 });
      expect(first.cursor.firstBatch.length).to.be.within(1, 7);
      const rest = await c.command('cur', { getMore: first.cursor.id, collection: 'big' });
      expect(first.cursor.firstBatch.length + rest.cursor.nextBatch.length).to.be.at.most(12);
      expect(await client.db('cur').collection('big').countDocuments()).to.equal(12);
      const all = await client.db('cur').collection('big').find().toArray();
      expect(all).to.have.length(12);
    } finally {
      await c.close();
      await client.close();
    }
  });

  it('closes cursors left idle past the timeout', async function () {
    const idleDir = mkdtempSync(path.join(os.tmpdir(), 'sci-'));
    // A short idle timeout (MongoDB: 10 minutes) so the reaper can be observed.
    process.env.SABAQ_CURSOR_TIMEOUT_MS = '300';
    let idleStore: EmbeddedMongo;
    try {
      idleStore = await startEmbeddedMongo({ dataDir: idleDir });
    } finally {
      delete process.env.SABAQ_CURSOR_TIMEOUT_MS;
    }
    const c = await RawClient.connect(socketPathOf(idleStore.uri));
    try {
      await c.command('cur', { insert: 'few', documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] });
      const first = await c.command('cur', { find: 'few', batchSize: 1 });
      expect((first.cursor.id as Long).isZero()).to.equal(false);
      await untilOpenCursorsAtMost(c, 0);
      const reply = await c.command('cur', { getMore: first.cursor.id, collection: 'few' });
      expect(reply.code).to.equal(43);
    } finally {
      await c.close();
      await idleStore.stop();
      rmSync(idleDir, { recursive: true, force: true });
    }
  });
});
