/**
 * Every kind of read inside a transaction sees its snapshot plus its own writes, and nothing another
 * session commits meanwhile: find with sort and index, count, distinct, aggregate with $lookup.
 * These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import type { ClientSession, Document } from 'mongodb';
import { useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: reads inside a transaction', () => {
  const conf = useConformanceDb('conf_txn_reads');
  const members = () => conf.db.collection<Document>('members');
  const groups = () => conf.db.collection<Document>('groups');
  let session: ClientSession;

  before(async () => {
    await members().createIndex({ group: 1 });
    await groups().insertMany([{ _id: 'g1' as never }, { _id: 'g2' as never }]);
  });

  beforeEach(async () => {
    await members().deleteMany({});
    await members().insertMany([
      { _id: 1 as never, group: 'g1', score: 5 },
      { _id: 2 as never, group: 'g2', score: 7 },
    ]);
    session = conf.client.startSession();
    session.startTransaction();
    // Its own writes: one insert, one update, one delete.
    await members().insertOne({ _id: 3 as never, group: 'g1', score: 9 }, { session });
    await members().updateOne({ _id: 2 as never }, { $set: { group: 'g1' } }, { session });
    await members().deleteOne({ _id: 1 as never }, { session });
    // Someone else's, committed meanwhile: not in the snapshot.
    await members().insertOne({ _id: 4 as never, group: 'g1', score: 1 });
  });

  afterEach(async () => {
    if (session.inTransaction()) await session.abortTransaction();
    await session.endSession();
  });

  it('find through an index and with sort sees the snapshot and the transaction’s own writes', async () => {
    const inside = await members().find({ group: 'g1' }, { session }).sort({ score: -1 }).toArray();
    expect(inside.map((d) => d._id as unknown)).to.deep.equal([3, 2]);
    const outside = await members().find({ group: 'g1' }).sort({ _id: 1 }).toArray();
    expect(outside.map((d) => d._id as unknown)).to.deep.equal([1, 4]);
  });

  it('count and distinct agree with it', async () => {
    expect(await members().countDocuments({}, { session })).to.equal(2);
    expect(await members().distinct('group', {}, { session })).to.deep.equal(['g1']);
    expect(((await members().distinct('group')) as string[]).sort()).to.deep.equal(['g1', 'g2']);
  });

  it('aggregate, $lookup included, reads the same snapshot in every collection it touches', async () => {
    await groups().insertOne({ _id: 'g3' as never });
    const rows = await groups()
      .aggregate(
        [
          { $lookup: { from: 'members', localField: '_id', foreignField: 'group', as: 'm' } },
          { $project: { n: { $size: '$m' } } },
          { $sort: { _id: 1 } },
        ],
        { session },
      )
      .toArray();
    expect(rows).to.deep.equal([
      { _id: 'g1', n: 2 },
      { _id: 'g2', n: 0 },
    ]);
  });

  it('after commit everyone sees its writes, beside the one committed meanwhile', async () => {
    await session.commitTransaction();
    expect((await members().find().sort({ _id: 1 }).toArray()).map((d) => d._id as unknown)).to.deep.equal([
      2, 3, 4,
    ]);
  });
});
