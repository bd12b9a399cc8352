import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Long, UUID } from 'bson';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { RawClient, socketPathOf } from './raw-client.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedded store transactions', function () {
  let dataDir: string;
  let store: EmbeddedMongo;
  let clientA: MongoClient;
  let clientB: MongoClient;
  let collA: Collection<{ _id: string; v?: number }>;
  let collB: Collection<{ _id: string; v?: number }>;

  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'st-'));
    // Idle transactions are aborted after this long (MongoDB: 60 s), short enough to test.
    process.env.SABAQ_TXN_LIFETIME_MS = '1500';
    try {
      store = await startEmbeddedMongo({ dataDir });
    } finally {
      delete process.env.SABAQ_TXN_LIFETIME_MS;
    }
    clientA = new MongoClient(store.uri);
    clientB = new MongoClient(store.uri);
    collA = clientA.db('txn').collection('docs');
    collB = clientB.db('txn').collection('docs');
    await collA.insertOne({ _id: 'seed', v: 0 });
  });

  after(async function () {
    await clientA.close();
    await clientB.close();
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds other sessions’ writes and reads until the transaction commits', async function () {
    const session = clientA.startSession();
    const events: string[] = [];
    try {
      session.startTransaction();
      await collA.insertOne({ _id: 'in-txn' }, { session });
      const write = collB.insertOne({ _id: 'outside' }).then(() => events.push('outside write done'));
      const read = collB
        .find({ _id: { $in: ['in-txn', 'outside'] } })
        .sort({ _id: 1 })
        .toArray()
        .then((docs) => {
          events.push('outside read done');
          return docs;
        });
      await sleep(300);
      expect(events, 'nothing outside may run while the transaction is open').to.deep.equal([]);
      await collA.updateOne({ _id: 'seed' }, { $set: { v: 1 } }, { session });
      events.push('commit sent');
      await session.commitTransaction();
      await Promise.all([write, read]);
      expect(events[0]).to.equal('commit sent');
      expect(events).to.have.members(['commit sent', 'outside write done', 'outside read done']);
      // The waiting read ran after the commit, so it sees the transaction's document.
      expect((await read).map((d) => d._id)).to.include('in-txn');
      expect(await collB.findOne({ _id: 'seed' })).to.deep.equal({ _id: 'seed', v: 1 });
    } finally {
      await session.endSession();
    }
  });

  it('makes a second transaction wait for the first (serial isolation)', async function () {
    const s1 = clientA.startSession();
    const s2 = clientB.startSession();
    const order: string[] = [];
    try {
      s1.startTransaction();
      await collA.updateOne({ _id: 'seed' }, { $inc: { v: 10 } }, { session: s1 });
      s2.startTransaction();
      const second = collB.updateOne({ _id: 'seed' }, { $inc: { v: 100 } }, { session: s2 }).then(() => {
        order.push('second started');
      });
      await sleep(200);
      order.push('first commits');
      await s1.commitTransaction();
      await second;
      await s2.commitTransaction();
      expect(order).to.deep.equal(['first commits', 'second started']);
      expect((await collA.findOne({ _id: 'seed' }))?.v).to.equal(111);
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
  });

  it('abort undoes the transaction’s writes and frees the lock', async function () {
    const session = clientA.startSession();
    try {
      session.startTransaction();
      await collA.insertOne({ _id: 'aborted' }, { session });
      await collA.deleteOne({ _id: 'outside' }, { session });
      const waiting = collB.countDocuments({ _id: { $in: ['aborted', 'outside'] } });
      await session.abortTransaction();
      expect(await waiting).to.equal(1);
      expect(await collB.findOne({ _id: 'aborted' })).to.equal(null);
      expect(await collB.findOne({ _id: 'outside' })).to.deep.equal({ _id: 'outside' });
    } finally {
      await session.endSession();
    }
  });

  it('withTransaction commits through the driver', async function () {
    const session = clientA.startSession();
    try {
      await session.withTransaction(async () => {
        await collA.insertOne({ _id: 'wt1' }, { session });
        await collA.insertOne({ _id: 'wt2' }, { session });
      });
    } finally {
      await session.endSession();
    }
    expect(await collB.countDocuments({ _id: { $in: ['wt1', 'wt2'] } })).to.equal(2);
  });

  it('a failed statement aborts the transaction, as in MongoDB', async function () {
    const session = clientA.startSession();
    try {
      session.startTransaction();
      await collA.insertOne({ _id: 'before-dup' }, { session });
      let dup: unknown;
      try {
        await collA.insertOne({ _id: 'seed' }, { session });
      } catch (err) {
        dup = err;
      }
      expect((dup as MongoServerError).code).to.equal(11000);
      let commitError: unknown;
      try {
        await session.commitTransaction();
      } catch (err) {
        commitError = err;
      }
      expect((commitError as MongoServerError).code).to.equal(251);
      expect(await collB.findOne({ _id: 'before-dup' })).to.equal(null);
    } finally {
      await session.endSession();
    }
  });

  it('answers commit of an unknown transaction with 251 NoSuchTransaction, labelled transient', async function () {
    const raw = await RawClient.connect(socketPathOf(store.uri));
    try {
      const reply = await raw.command('admin', {
        commitTransaction: 1,
        lsid: { id: new UUID() },
        txnNumber: Long.fromNumber(5),
        autocommit: false,
      });
      expect(reply).to.deep.include({ ok: 0, code: 251, codeName: 'NoSuchTransaction' });
      expect(reply.errorLabels).to.deep.equal(['TransientTransactionError']);
    } finally {
      await raw.close();
    }
  });

  it('aborts an idle transaction after the lifetime limit so it cannot hold the lock forever', async function () {
    const session = clientA.startSession();
    try {
      session.startTransaction();
      await collA.insertOne({ _id: 'abandoned' }, { session });
      const started = Date.now();
      await collB.insertOne({ _id: 'after-abandoned' });
      expect(Date.now() - started).to.be.within(500, 5000);
      expect(await collB.findOne({ _id: 'abandoned' })).to.equal(null);
      let commitError: unknown;
      try {
        await session.commitTransaction();
      } catch (err) {
        commitError = err;
      }
      expect((commitError as MongoServerError).code).to.equal(251);
    } finally {
      await session.endSession();
    }
  });

  it('endSessions aborts the session’s open transaction', async function () {
    const raw = await RawClient.connect(socketPathOf(store.uri));
    const lsid = { id: new UUID() };
    try {
      const insert = await raw.command('txn', {
        insert: 'docs',
        documents: [{ _id: 'ended' }],
        lsid,
        txnNumber: Long.fromNumber(1),
        startTransaction: true,
        autocommit: false,
      });
      expect(insert).to.deep.include({ n: 1, ok: 1 });
      expect(await raw.command('admin', { endSessions: [lsid] })).to.deep.include({ ok: 1 });
      expect(await collB.findOne({ _id: 'ended' })).to.equal(null);
    } finally {
      await raw.close();
    }
  });
});
