/**
 * Transactions as MongoDB runs them: snapshot isolation that blocks nobody. These pass against a real
 * MongoDB replica set too (MONGODB_URI=... npm test).
 */
import { expect } from 'chai';
import { MongoServerError, type ClientSession, type Document } from 'mongodb';
import { useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: transactions do not block the world', () => {
  const conf = useConformanceDb('conf_transactions');
  const accounts = () => conf.db.collection<{ _id: string; v: number }>('accounts');

  beforeEach(async () => {
    await accounts().deleteMany({});
    await accounts().insertMany([
      { _id: 'a', v: 0 },
      { _id: 'b', v: 0 },
      { _id: 'c', v: 0 },
    ]);
  });

  async function inSession<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = conf.client.startSession();
    try {
      return await work(session);
    } finally {
      await session.endSession();
    }
  }

  it('a read outside an open transaction returns within 50 ms with the last committed state', async () => {
    await inSession(async (session) => {
      session.startTransaction();
      await accounts().updateOne({ _id: 'a' }, { $set: { v: 1 } }, { session });
      await accounts().insertOne({ _id: 'new', v: 1 }, { session });
      const started = performance.now();
      const outside = await accounts().find().sort({ _id: 1 }).toArray();
      expect(performance.now() - started).to.be.below(50);
      expect(outside).to.deep.equal([
        { _id: 'a', v: 0 },
        { _id: 'b', v: 0 },
        { _id: 'c', v: 0 },
      ]);
      await session.commitTransaction();
    });
    expect(await accounts().countDocuments({ v: 1 })).to.equal(2);
  });

  it('a write outside to a document the transaction has not touched proceeds at once', async () => {
    await inSession(async (session) => {
      session.startTransaction();
      await accounts().updateOne({ _id: 'a' }, { $inc: { v: 1 } }, { session });
      const started = performance.now();
      await accounts().updateOne({ _id: 'b' }, { $inc: { v: 10 } });
      expect(performance.now() - started).to.be.below(50);
      // The transaction reads its snapshot: the outside change to b came after it began.
      expect((await accounts().findOne({ _id: 'b' }, { session }))?.v).to.equal(0);
      await session.commitTransaction();
    });
    expect(await accounts().find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 'a', v: 1 },
      { _id: 'b', v: 10 },
      { _id: 'c', v: 0 },
    ]);
  });

  it('two transactions on different documents both commit', async () => {
    const first = conf.client.startSession();
    const second = conf.client.startSession();
    try {
      first.startTransaction();
      second.startTransaction();
      await accounts().updateOne({ _id: 'a' }, { $inc: { v: 1 } }, { session: first });
      await accounts().updateOne({ _id: 'b' }, { $inc: { v: 2 } }, { session: second });
      await second.commitTransaction();
      await first.commitTransaction();
    } finally {
      await first.endSession();
      await second.endSession();
    }
    expect((await accounts().find().sort({ _id: 1 }).toArray()).map((d) => d.v)).to.deep.equal([1, 2, 0]);
  });

  it('two on the same document: the second gets a TransientTransactionError and withTransaction retries it', async () => {
    const conflicts: MongoServerError[] = [];
    let markFirstWrote!: () => void;
    const firstWrote = new Promise<void>((resolve) => (markFirstWrote = resolve));
    let releaseFirst!: () => void;
    const secondTried = new Promise<void>((resolve) => (releaseFirst = resolve));

    const first = inSession((session) =>
      session.withTransaction(async () => {
        await accounts().updateOne({ _id: 'c' }, { $inc: { v: 1 } }, { session });
        markFirstWrote();
        // Commit only once the second transaction has run into this one.
        await secondTried;
      }),
    );
    await firstWrote;
    let attempts = 0;
    const second = inSession((session) =>
      session.withTransaction(async () => {
        attempts++;
        try {
          await accounts().updateOne({ _id: 'c' }, { $inc: { v: 10 } }, { session });
        } catch (error) {
          if (error instanceof MongoServerError) conflicts.push(error);
          releaseFirst();
          throw error;
        }
      }),
    );
    await Promise.all([first, second]);

    expect(conflicts.length).to.be.at.least(1);
    expect(conflicts[0]!.code).to.equal(112);
    expect(conflicts[0]!.hasErrorLabel('TransientTransactionError')).to.equal(true);
    expect(attempts).to.be.above(1);
    expect((await accounts().findOne({ _id: 'c' }))?.v).to.equal(11);
  });

  it('a transaction callback that awaits a read outside the transaction does not deadlock', async () => {
    const seen: Document[] = [];
    await inSession((session) =>
      session.withTransaction(async () => {
        await accounts().updateOne({ _id: 'a' }, { $set: { v: 5 } }, { session });
        const outside = await accounts().findOne({ _id: 'a' });
        if (outside) seen.push(outside);
        await accounts().updateOne({ _id: 'b' }, { $set: { v: outside?.v ?? -1 } }, { session });
      }),
    );
    expect(seen).to.deep.equal([{ _id: 'a', v: 0 }]);
    expect((await accounts().find().sort({ _id: 1 }).toArray()).map((d) => d.v)).to.deep.equal([5, 0, 0]);
  });
});
