import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Long, UUID } from 'bson';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { RawClient, socketPathOf } from './raw-client.js';

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

  it('abort drops the transaction’s writes, which nobody outside ever saw', async function () {
    await collB.insertOne({ _id: 'outside' });
    const session = clientA.startSession();
    try {
      session.startTransaction();
      await collA.insertOne({ _id: 'aborted' }, { session });
      await collA.deleteOne({ _id: 'outside' }, { session });
      expect(await collB.countDocuments({ _id: { $in: ['aborted', 'outside'] } })).to.equal(1);
      await session.abortTransaction();
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

  it('aborts an idle transaction after the lifetime limit, so a write waiting for its document goes ahead', async function () {
    const session = clientA.startSession();
    try {
      session.startTransaction();
      await collA.insertOne({ _id: 'abandoned', v: 1 }, { session });
      const started = Date.now();
      // The same _id as the transaction's insert: an outside write waits for the transaction to end.
      await collB.insertOne({ _id: 'abandoned', v: 2 });
      expect(Date.now() - started).to.be.within(500, 5000);
      expect(await collB.findOne({ _id: 'abandoned' })).to.deep.equal({ _id: 'abandoned', v: 2 });
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
