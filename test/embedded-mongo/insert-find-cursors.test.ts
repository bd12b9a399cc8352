import { expect } from 'chai';
import { Long, MongoBulkWriteError, ObjectId, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: insert, find and cursors', () => {
  const conf = useConformanceDb('conf_find');

  describe('insert', () => {
    it('adds an ObjectId _id when the document has none and keeps a given one', async () => {
      const coll = conf.db.collection('ids');
      const generated = await coll.insertOne({ a: 1 });
      expect(generated.insertedId).to.be.instanceOf(ObjectId);
      await coll.insertOne({ _id: 'mine', a: 2 } as never);
      const stored = await coll.find({}, { sort: { a: 1 } }).toArray();
      expect(stored[0]?._id).to.be.instanceOf(ObjectId);
      expect(stored[0]?._id.equals(generated.insertedId)).to.equal(true);
      expect(stored[1]?._id).to.equal('mine');
    });

    it('ordered insert stops at the duplicate in the middle', async () => {
      const reply = await conf.db.command({
        insert: 'ordered',
        documents: [{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }],
        ordered: true,
      });
      expect(reply.n).to.equal(2);
      expect(reply.writeErrors).to.have.length(1);
      expect(reply.writeErrors[0].index).to.equal(2);
      expect(reply.writeErrors[0].code).to.equal(11000);
      const ids = (await conf.db.collection('ordered').find().sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(ids).to.deep.equal([1, 2]);
    });

    it('unordered insert skips the duplicate in the middle and inserts the rest', async () => {
      const reply = await conf.db.command({
        insert: 'unordered',
        documents: [{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }, { _id: 2 }],
        ordered: false,
      });
      expect(reply.n).to.equal(3);
      expect((reply.writeErrors as Document[]).map((e): unknown[] => [e.index, e.code])).to.deep.equal([
        [2, 11000],
        [4, 11000],
      ]);
      const ids = (await conf.db.collection('unordered').find().sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(ids).to.deep.equal([1, 2, 3]);
    });

    it('the driver’s insertMany reports insertedCount and writeErrors for both modes', async () => {
      const docs = (): Document[] => [{ _id: 'a' }, { _id: 'b' }, { _id: 'a' }, { _id: 'c' }];
      for (const [ordered, expectedCount] of [
        [true, 2],
        [false, 3],
      ] as const) {
        const coll = conf.db.collection(`driver_${String(ordered)}`);
        let caught: unknown;
        try {
          await coll.insertMany(docs(), { ordered });
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(MongoBulkWriteError);
        const bulk = caught as MongoBulkWriteError;
        expect(bulk.insertedCount, `ordered: ${String(ordered)}`).to.equal(expectedCount);
        expect([bulk.writeErrors].flat().map((e) => e.index)).to.deep.equal([2]);
        expect(await coll.countDocuments()).to.equal(expectedCount);
      }
    });
  });

  describe('find', () => {
    before(async () => {
      await conf.db.collection('people').insertMany([
        { _id: 1, name: 'Amina', age: 31, city: 'Kabul', tags: ['law', 'advocacy'] },
        { _id: 2, name: 'Bashir', age: 25, city: 'Herat', tags: ['law'] },
        { _id: 3, name: 'Farida', age: 42, city: 'Kabul', tags: [] },
        { _id: 4, name: 'Jawad', age: 25, city: 'Mazar', address: { zip: '1001' } },
        { _id: 5, name: 'Laila', age: 37, city: 'Herat', address: { zip: '3001' } },
      ] as never[]);
    });

    const people = () => conf.db.collection('people');

    it('filters with comparison, logical, array and dotted-path operators', async () => {
      const ids = async (filter: Document) =>
        (await people().find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(await ids({ city: 'Kabul' })).to.deep.equal([1, 3]);
      expect(await ids({ age: { $gte: 31, $lt: 42 } })).to.deep.equal([1, 5]);
      expect(await ids({ $or: [{ city: 'Mazar' }, { age: 42 }] })).to.deep.equal([3, 4]);
      expect(await ids({ tags: 'law' })).to.deep.equal([1, 2]);
      expect(await ids({ tags: { $size: 0 } })).to.deep.equal([3]);
      expect(await ids({ 'address.zip': { $in: ['1001', '9999'] } })).to.deep.equal([4]);
      expect(await ids({ address: { $exists: false } })).to.deep.equal([1, 2, 3]);
      expect(await ids({ name: { $regex: '^[AB]' } })).to.deep.equal([1, 2]);
      expect(await ids({ age: { $nin: [25, 31] } })).to.deep.equal([3, 5]);
      expect(await ids({ tags: { $all: ['law', 'advocacy'] } })).to.deep.equal([1]);
      expect(await ids({ tags: { $elemMatch: { $eq: 'advocacy' } } })).to.deep.equal([1]);
      expect(await ids({ $nor: [{ city: 'Kabul' }, { city: 'Herat' }] })).to.deep.equal([4]);
      expect(await ids({ $expr: { $gt: ['$age', 36] } })).to.deep.equal([3, 5]);
    });

    it('sorts on several keys, skips and limits', async () => {
      const docs = await people().find({}).sort({ age: 1, name: -1 }).skip(1).limit(3).toArray();
      expect(docs.map((d) => d._id)).to.deep.equal([2, 1, 5]);
    });

    it('projects inclusions, exclusions and dotted paths; _id unless excluded', async () => {
      const included = await people().findOne({ _id: 4 } as never, {
        projection: { name: 1, 'address.zip': 1 },
      });
      expect(included).to.deep.equal({ _id: 4, name: 'Jawad', address: { zip: '1001' } });
      const excluded = await people().findOne({ _id: 2 } as never, { projection: { tags: 0, city: 0 } });
      expect(excluded).to.deep.equal({ _id: 2, name: 'Bashir', age: 25 });
      const noId = await people().findOne({ _id: 1 } as never, { projection: { _id: 0, name: 1 } });
      expect(noId).to.deep.equal({ name: 'Amina' });
      const sliced = await people().findOne({ _id: 1 } as never, {
        projection: { tags: { $slice: 1 }, name: 1 },
      });
      expect(sliced).to.deep.equal({ _id: 1, name: 'Amina', tags: ['law'] });
    });

    it('find command honours batchSize in firstBatch and singleBatch closes the cursor', async () => {
      const batched = await conf.db.command({ find: 'people', filter: {}, sort: { _id: 1 }, batchSize: 2 });
      expect(batched.cursor.ns).to.equal('conf_find.people');
      expect((batched.cursor.firstBatch as Document[]).map((d): unknown => d._id)).to.deep.equal([1, 2]);
      expect(Number(batched.cursor.id)).to.not.equal(0);
      await conf.db.command({ killCursors: 'people', cursors: [Long.fromValue(batched.cursor.id)] });

      const single = await conf.db.command({ find: 'people', filter: {}, batchSize: 2, singleBatch: true });
      expect(single.cursor.firstBatch).to.have.length(2);
      expect(Number(single.cursor.id)).to.equal(0);

      const limited = await conf.db.command({ find: 'people', filter: {}, sort: { _id: 1 }, limit: 3 });
      expect((limited.cursor.firstBatch as Document[]).map((d): unknown => d._id)).to.deep.equal([1, 2, 3]);
      expect(Number(limited.cursor.id)).to.equal(0);
    });
  });

  describe('cursors', () => {
    before(async () => {
      const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: i, seq: i, pad: 'x'.repeat(50) }));
      await conf.db.collection('many').insertMany(docs as never[]);
    });

    it('1,000 documents read with batchSize 100 come back once each, in order', async () => {
      const seen: number[] = [];
      for await (const doc of conf.db.collection('many').find({}, { batchSize: 100, sort: { seq: 1 } })) {
        seen.push(doc.seq as number);
      }
      expect(seen).to.have.length(1000);
      expect(seen).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i));
    });

    it('getMore continues the cursor in batches until id 0, honouring limit', async () => {
      const first = await conf.db.command(
        { find: 'many', filter: { seq: { $gte: 100 } }, sort: { seq: 1 }, batchSize: 100, limit: 250 },
        { promoteLongs: false },
      );
      const ids: number[] = (first.cursor.firstBatch as Document[]).map((d) => d.seq as number);
      let cursorId = first.cursor.id as Long;
      expect(cursorId).to.be.instanceOf(Long);
      let rounds = 0;
      while (!cursorId.isZero()) {
        const more = await conf.db.command(
          { getMore: cursorId, collection: 'many', batchSize: 100 },
          { promoteLongs: false },
        );
        expect(more.cursor.ns).to.equal('conf_find.many');
        ids.push(...(more.cursor.nextBatch as Document[]).map((d) => d.seq as number));
        cursorId = more.cursor.id as Long;
        rounds += 1;
        expect(rounds).to.be.below(10);
      }
      expect(ids).to.deep.equal(Array.from({ length: 250 }, (_, i) => i + 100));
    });

    it('killCursors reports the killed cursor and a later getMore fails with CursorNotFound (43)', async () => {
      const first = await conf.db.command(
        { find: 'many', filter: {}, batchSize: 10 },
        { promoteLongs: false },
      );
      const cursorId = first.cursor.id as Long;
      const killed = await conf.db.command(
        { killCursors: 'many', cursors: [cursorId] },
        { promoteLongs: false },
      );
      expect(killed.ok).to.equal(1);
      expect((killed.cursorsKilled as Long[]).map((id) => id.toString())).to.deep.equal([
        cursorId.toString(),
      ]);
      await expectServerError(conf.db.command({ getMore: cursorId, collection: 'many' }), 43);
    });

    it('aggregate returns a cursor that getMore continues', async () => {
      const first = await conf.db.command(
        {
          aggregate: 'many',
          pipeline: [{ $match: { seq: { $lt: 30 } } }, { $sort: { seq: -1 } }],
          cursor: { batchSize: 10 },
        },
        { promoteLongs: false },
      );
      const seqs: number[] = (first.cursor.firstBatch as Document[]).map((d) => d.seq as number);
      let cursorId = first.cursor.id as Long;
      while (!cursorId.isZero()) {
        const more = await conf.db.command(
          { getMore: cursorId, collection: 'many' },
          { promoteLongs: false },
        );
        seqs.push(...(more.cursor.nextBatch as Document[]).map((d) => d.seq as number));
        cursorId = more.cursor.id as Long;
      }
      expect(seqs).to.deep.equal(Array.from({ length: 30 }, (_, i) => 29 - i));
    });
  });
});
