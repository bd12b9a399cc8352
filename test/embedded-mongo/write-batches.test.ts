/**
 * Writes as applications batch them: bulkWrite mixing operations, upserts and replacements, and
 * the _id rules every insert follows. These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import { Double, Long, MongoBulkWriteError, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: write batches, upserts and _id', () => {
  const conf = useConformanceDb('conf_write_batches');
  const coll = (name = 'docs') => conf.db.collection<Document>(name);

  beforeEach(async () => {
    await coll().deleteMany({});
  });

  it('bulkWrite applies mixed operations in order and counts each kind', async () => {
    await coll().insertMany([
      { _id: 1 as never, n: 1 },
      { _id: 2 as never, n: 2 },
      { _id: 3 as never, n: 3 },
    ]);
    const result = await coll().bulkWrite([
      { insertOne: { document: { _id: 4 as never, n: 4 } } },
      { updateOne: { filter: { _id: 1 as never }, update: { $inc: { n: 10 } } } },
      { updateMany: { filter: { n: { $lte: 3 } }, update: { $set: { small: true } } } },
      { replaceOne: { filter: { _id: 3 as never }, replacement: { n: 30 } } },
      { deleteOne: { filter: { _id: 4 as never } } },
      { updateOne: { filter: { _id: 9 as never }, update: { $set: { n: 9 } }, upsert: true } },
    ]);
    expect([result.insertedCount, result.matchedCount, result.modifiedCount]).to.deep.equal([1, 4, 4]);
    expect([result.deletedCount, result.upsertedCount]).to.deep.equal([1, 1]);
    expect(result.upsertedIds).to.deep.equal({ 5: 9 });
    expect(await coll().find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 1, n: 11 },
      { _id: 2, n: 2, small: true },
      { _id: 3, n: 30 },
      { _id: 9, n: 9 },
    ]);
  });

  it('an unordered bulkWrite goes on past a failing operation and reports it by its index', async () => {
    await coll().insertOne({ _id: 1 as never });
    const error = await coll()
      .bulkWrite(
        [
          { insertOne: { document: { _id: 1 as never } } },
          { insertOne: { document: { _id: 2 as never } } },
          { updateOne: { filter: { _id: 2 as never }, update: { $inc: { n: 'x' } } as Document } },
          { insertOne: { document: { _id: 3 as never } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    const failures = [bulk.writeErrors].flat().map((e) => [e.index, e.code]);
    expect(failures).to.deep.equal([
      [0, 11000],
      [2, 14],
    ]);
    expect((await coll().find().toArray()).map((d) => d._id as unknown).sort()).to.deep.equal([1, 2, 3]);
  });

  it('an upsert with $setOnInsert and $inc sets both on insert and only increments afterwards', async () => {
    const update = { $setOnInsert: { createdBy: 'seed' }, $inc: { visits: 1 } };
    await coll().updateOne({ _id: 'page' as never }, update, { upsert: true });
    await coll().updateOne({ _id: 'page' as never }, update, { upsert: true });
    expect(await coll().findOne({ _id: 'page' as never })).to.deep.equal({
      _id: 'page',
      createdBy: 'seed',
      visits: 2,
    });
  });

  it('an updateMany upsert inserts one document; a $in of one value seeds it, of several does not', async () => {
    await coll().updateMany({ k: { $in: ['only'] } }, { $set: { v: 1 } }, { upsert: true });
    await coll().updateMany({ j: { $in: ['a', 'b'] } }, { $set: { v: 2 } }, { upsert: true });
    const docs = await coll()
      .find({}, { projection: { _id: 0 } })
      .sort({ v: 1 })
      .toArray();
    expect(docs).to.deep.equal([{ k: 'only', v: 1 }, { v: 2 }]);
  });

  it('a replacement upsert takes _id from the filter and nothing else from it', async () => {
    await coll().replaceOne({ _id: 7 as never, kind: 'x' }, { name: 'seven' }, { upsert: true });
    expect(await coll().findOne({})).to.deep.equal({ _id: 7, name: 'seven' });
  });

  it('numerically equal _ids are the same _id, whatever their type', async () => {
    await coll().insertOne({ _id: 1 as never });
    for (const id of [new Double(1), Long.fromNumber(1)]) {
      await expectServerError(coll().insertOne({ _id: id as never }), 11000);
    }
    expect(await coll().countDocuments({ _id: new Double(1) as never })).to.equal(1);
  });

  it('refuses an array or a regex as _id (53); a document _id matches only with its fields in the same order', async () => {
    await expectServerError(coll().insertOne({ _id: [1, 2] as never }), 53);
    await expectServerError(coll().insertOne({ _id: /x/ as never }), 53);
    await coll().insertOne({ _id: { a: 1, b: 2 } as never });
    expect(await coll().countDocuments({ _id: { a: 1, b: 2 } as never })).to.equal(1);
    expect(await coll().countDocuments({ _id: { b: 2, a: 1 } as never })).to.equal(0);
  });
});
