/**
 * Unique keys written by an open transaction are held until it ends, as in MongoDB, where the
 * transaction has already written the index entry: a write outside waits for the outcome, another
 * transaction conflicts. These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import type { ClientSession } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

/** Settles with 'pending' if the promise has not settled within `ms`. */
async function stateAfter(promise: Promise<unknown>, ms: number): Promise<'pending' | 'settled'> {
  const timer = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms));
  return Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    timer,
  ]);
}

describe('embedded store conformance: unique keys held by an open transaction', () => {
  const conf = useConformanceDb('conf_txn_keys');
  const users = () => conf.db.collection<{ _id: number; email: string }>('users');
  let session: ClientSession;

  before(async () => {
    await users().createIndex({ email: 1 }, { unique: true });
  });

  beforeEach(async () => {
    await users().deleteMany({});
    await users().insertOne({ _id: 1, email: 'held@x.org' });
    session = conf.client.startSession();
  });

  afterEach(async () => {
    if (session.inTransaction()) await session.abortTransaction();
    await session.endSession();
  });

  it('an outside insert of a key the transaction inserted waits, then fails as a duplicate once it commits', async () => {
    session.startTransaction();
    await users().insertOne({ _id: 2, email: 'new@x.org' }, { session });
    const outside = users().insertOne({ _id: 3, email: 'new@x.org' });
    expect(await stateAfter(outside, 150)).to.equal('pending');
    await session.commitTransaction();
    const error = await expectServerError(outside, 11000);
    expect(error.message).to.match(/new@x\.org/);
    expect(await users().countDocuments({ email: 'new@x.org' })).to.equal(1);
  });

  it('the same outside insert goes through once the transaction aborts', async () => {
    session.startTransaction();
    await users().insertOne({ _id: 2, email: 'new@x.org' }, { session });
    const outside = users().insertOne({ _id: 3, email: 'new@x.org' });
    expect(await stateAfter(outside, 150)).to.equal('pending');
    await session.abortTransaction();
    await outside;
    expect(await users().find({ email: 'new@x.org' }).toArray()).to.deep.equal([
      { _id: 3, email: 'new@x.org' },
    ]);
  });

  it('an outside update that would take the key waits too; a key the transaction gave up is free after commit', async () => {
    session.startTransaction();
    await users().updateOne({ _id: 1 }, { $set: { email: 'moved@x.org' } }, { session });
    // The old key is held as well: until the commit it still belongs to document 1.
    const outside = users().insertOne({ _id: 4, email: 'held@x.org' });
    const takesNew = users().updateOne({ _id: 4 }, { $set: { email: 'moved@x.org' } }, { upsert: true });
    void takesNew.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    expect(await stateAfter(outside, 150)).to.equal('pending');
    await session.commitTransaction();
    await outside;
    await expectServerError(takesNew, 11000);
    const emails = (await users().find().sort({ _id: 1 }).toArray()).map((u) => u.email);
    expect(emails).to.deep.equal(['moved@x.org', 'held@x.org']);
  });

  it('a second transaction writing the same key gets a transient WriteConflict at once', async () => {
    const other = conf.client.startSession();
    try {
      session.startTransaction();
      await users().insertOne({ _id: 2, email: 'new@x.org' }, { session });
      other.startTransaction();
      const error = await expectServerError(
        users().insertOne({ _id: 3, email: 'new@x.org' }, { session: other }),
        112,
      );
      expect(error.hasErrorLabel('TransientTransactionError')).to.equal(true);
      await session.commitTransaction();
    } finally {
      if (other.inTransaction()) await other.abortTransaction().catch(() => undefined);
      await other.endSession();
    }
    expect(await users().countDocuments()).to.equal(2);
  });

  it('writes of other keys go ahead at once', async () => {
    session.startTransaction();
    await users().insertOne({ _id: 2, email: 'new@x.org' }, { session });
    const started = performance.now();
    await users().insertOne({ _id: 3, email: 'other@x.org' });
    expect(performance.now() - started).to.be.below(100);
    await session.commitTransaction();
    expect(await users().countDocuments()).to.equal(3);
  });

  it('a key the transaction frees by deleting its document is free only once it commits', async () => {
    session.startTransaction();
    await users().deleteOne({ _id: 1 }, { session });
    const outside = users().insertOne({ _id: 5, email: 'held@x.org' });
    expect(await stateAfter(outside, 150)).to.equal('pending');
    await session.commitTransaction();
    await outside;
    expect(await users().find().toArray()).to.deep.equal([{ _id: 5, email: 'held@x.org' }]);
  });

  it('an outside findOneAndUpdate whose first match by its sort is held waits for the transaction', async () => {
    await users().insertOne({ _id: 2, email: 'second@x.org' });
    session.startTransaction();
    await users().updateOne({ _id: 2 }, { $set: { email: 'changed@x.org' } }, { session });
    const outside = users().findOneAndUpdate(
      {},
      { $set: { email: 'outside@x.org' } },
      { sort: { _id: -1 }, returnDocument: 'after' },
    );
    expect(await stateAfter(outside, 150)).to.equal('pending');
    await session.commitTransaction();
    expect(await outside).to.deep.equal({ _id: 2, email: 'outside@x.org' });
    expect((await users().findOne({ _id: 1 }))?.email).to.equal('held@x.org');
  });
  it('inside one transaction: a key it inserted twice is a duplicate; a key it moved away is free again', async () => {
    // A duplicate key aborts the transaction, as in MongoDB: nothing of it is kept.
    session.startTransaction();
    await users().insertMany(
      Array.from({ length: 300 }, (_, i) => ({ _id: 10 + i, email: `bulk${i}@x.org` })),
      { session },
    );
    await expectServerError(users().insertOne({ _id: 400, email: 'bulk299@x.org' }, { session }), 11000);
    await session.abortTransaction();
    expect(await users().countDocuments({})).to.equal(1);

    session.startTransaction();
    await users().insertMany(
      Array.from({ length: 300 }, (_, i) => ({ _id: 10 + i, email: `bulk${i}@x.org` })),
      { session },
    );
    await users().updateOne({ _id: 10 }, { $set: { email: 'moved@x.org' } }, { session });
    await users().insertOne({ _id: 401, email: 'bulk0@x.org' }, { session });
    await session.commitTransaction();
    expect(await users().countDocuments({})).to.equal(1 + 300 + 1);
    expect(await users().countDocuments({ email: 'bulk0@x.org' })).to.equal(1);
  });
});
