import { expect } from 'chai';
import type { Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: update, delete and findAndModify', () => {
  const conf = useConformanceDb('conf_update');
  let seq = 0;
  /** A fresh collection per test, so the tests stay independent. */
  const fresh = () => conf.db.collection(`c${++seq}`);
  const withoutId = ({ _id, ...rest }: Document) => rest;

  describe('update', () => {
    it('updateOne changes one document; multi changes every match; counts are n and nModified', async () => {
      const coll = fresh();
      await coll.insertMany([
        { _id: 1, g: 'a', n: 0 },
        { _id: 2, g: 'a', n: 0 },
        { _id: 3, g: 'b', n: 0 },
      ] as never[]);
      const one = await conf.db.command({
        update: coll.collectionName,
        updates: [{ q: { g: 'a' }, u: { $inc: { n: 1 } } }],
      });
      expect([one.n, one.nModified]).to.deep.equal([1, 1]);
      const many = await coll.updateMany({ g: 'a' }, { $set: { flag: true } });
      expect([many.matchedCount, many.modifiedCount]).to.deep.equal([2, 2]);
      const noop = await coll.updateMany({ g: 'a' }, { $set: { flag: true } });
      expect([noop.matchedCount, noop.modifiedCount]).to.deep.equal([2, 0]);
      expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 1, g: 'a', n: 1, flag: true },
        { _id: 2, g: 'a', n: 0, flag: true },
        { _id: 3, g: 'b', n: 0 },
      ]);
    });

    it('applies $set, $unset, $inc, $mul, $min, $max, $push, $addToSet, $pull, $rename, $currentDate', async () => {
      const coll = fresh();
      await coll.insertOne({
        _id: 1,
        a: 5,
        b: 'x',
        c: 2,
        lo: 5,
        hi: 5,
        list: [1, 2, 2, 3],
        set: ['x'],
        old: 'v',
      } as never);
      await coll.updateOne(
        { _id: 1 } as never,
        {
          $set: { 'nested.deep': 1 },
          $unset: { b: '' },
          $inc: { a: 2 },
          $mul: { c: 3 },
          $min: { lo: 1 },
          $max: { hi: 9 },
          $push: { list: { $each: [4, 5], $slice: -5 } },
          $addToSet: { set: { $each: ['x', 'y'] } },
          $rename: { old: 'renamed' },
          $currentDate: { touched: true },
        } as never,
      );
      await coll.updateOne({ _id: 1 } as never, { $pull: { list: 2 } } as never);
      const doc = await coll.findOne({ _id: 1 } as never);
      expect(doc?.touched).to.be.instanceOf(Date);
      expect(withoutId({ ...doc, touched: undefined })).to.deep.equal({
        a: 7,
        c: 6,
        lo: 1,
        hi: 9,
        list: [3, 4, 5],
        set: ['x', 'y'],
        nested: { deep: 1 },
        renamed: 'v',
        touched: undefined,
      });
    });

    it('a replacement document replaces everything but _id', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, a: 1, b: 2 } as never);
      const result = await coll.replaceOne({ _id: 1 } as never, { c: 3 });
      expect(result.modifiedCount).to.equal(1);
      expect(await coll.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, c: 3 });
    });

    it('arrayFilters update only the array elements that match', async () => {
      const coll = fresh();
      await coll.insertOne({
        _id: 1,
        grades: [
          { g: 80, ok: false },
          { g: 95, ok: false },
          { g: 90, ok: false },
        ],
      } as never);
      await coll.updateOne(
        { _id: 1 } as never,
        { $set: { 'grades.$[high].ok': true } },
        {
          arrayFilters: [{ 'high.g': { $gte: 90 } }],
        },
      );
      const doc = await coll.findOne({ _id: 1 } as never);
      expect((doc?.grades as Document[]).map((x): unknown => x.ok)).to.deep.equal([false, true, true]);
    });

    it('the positional $ updates the first array element matched by the query', async () => {
      const coll = fresh();
      await coll.insertOne({
        _id: 1,
        scores: [70, 85, 85, 90],
        items: [
          { k: 'a', n: 1 },
          { k: 'b', n: 1 },
        ],
      } as never);
      await coll.updateOne({ _id: 1, scores: 85 } as never, { $set: { 'scores.$': 86 } });
      await coll.updateOne({ _id: 1, 'items.k': 'b' } as never, { $inc: { 'items.$.n': 5 } });
      const doc = await coll.findOne({ _id: 1 } as never);
      expect(doc?.scores).to.deep.equal([70, 86, 85, 90]);
      expect(doc?.items).to.deep.equal([
        { k: 'a', n: 1 },
        { k: 'b', n: 6 },
      ]);
    });

    it('an update with an aggregation pipeline computes from the document', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, a: 2, b: 3 } as never);
      await coll.updateOne({ _id: 1 } as never, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
      expect(await coll.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, a: 2, b: 3, sum: 5 });
    });

    it('mixing operators on the same path fails with ConflictingUpdateOperators (40)', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, a: 1 } as never);
      await expectServerError(coll.updateOne({ _id: 1 } as never, { $set: { a: 2 }, $inc: { a: 1 } }), 40);
    });
  });

  describe('update errors', () => {
    it('$inc on a non-numeric value fails with TypeMismatch (14); $push on a non-array with BadValue (2)', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, s: 'text', n: 3 } as never);
      await expectServerError(coll.updateOne({ _id: 1 } as never, { $inc: { s: 1 } }), 14);
      await expectServerError(coll.updateOne({ _id: 1 } as never, { $push: { n: 4 } } as never), 2);
      expect(await coll.findOne({ _id: 1 } as never)).to.deep.equal({ _id: 1, s: 'text', n: 3 });
    });

    it('a multi update that fails on one document in an ordered batch reports the error', async () => {
      const coll = fresh();
      await coll.insertMany([
        { _id: 1, v: 1 },
        { _id: 2, v: 'two' },
      ] as never[]);
      const reply = await conf.db.command({
        update: coll.collectionName,
        updates: [
          { q: { _id: 1 }, u: { $inc: { v: 1 } } },
          { q: { _id: 2 }, u: { $inc: { v: 1 } } },
          { q: { _id: 1 }, u: { $inc: { v: 10 } } },
        ],
        ordered: true,
      });
      expect(reply.n).to.equal(1);
      expect((reply.writeErrors as Document[]).map((e): unknown[] => [e.index, e.code])).to.deep.equal([
        [1, 14],
      ]);
      expect((await coll.findOne({ _id: 1 } as never))?.v).to.equal(2);
    });
  });

  describe('upsert', () => {
    it('inserts when nothing matches and reports the upserted _id', async () => {
      const coll = fresh();
      const reply = await conf.db.command({
        update: coll.collectionName,
        updates: [{ q: { key: 'k1' }, u: { $set: { v: 1 } }, upsert: true }],
      });
      expect(reply.n).to.equal(1);
      expect(reply.nModified).to.equal(0);
      expect(reply.upserted).to.have.length(1);
      expect(reply.upserted[0].index).to.equal(0);
      const stored = await coll.findOne({ key: 'k1' });
      expect(String(stored?._id)).to.equal(String(reply.upserted[0]._id));
      expect(withoutId(stored ?? {})).to.deep.equal({ key: 'k1', v: 1 });
    });

    it('seeds the new document from equality, $eq, $and and dotted paths of the filter, not from ranges', async () => {
      const coll = fresh();
      await coll.updateOne(
        { a: 1, b: { $eq: 'two' }, $and: [{ c: 3 }, { 'd.e': 4 }], 'f.g': 'h', r: { $gt: 5 } },
        { $set: { set: true } },
        { upsert: true },
      );
      const doc = await coll.findOne({});
      expect(withoutId(doc ?? {})).to.deep.equal({
        a: 1,
        b: 'two',
        c: 3,
        d: { e: 4 },
        f: { g: 'h' },
        set: true,
      });
    });

    it('takes the _id from the filter when it has one', async () => {
      const coll = fresh();
      const result = await coll.updateOne({ _id: 'given' } as never, { $inc: { n: 1 } }, { upsert: true });
      expect(result.upsertedId).to.equal('given');
      expect(await coll.findOne({})).to.deep.equal({ _id: 'given', n: 1 });
    });

    it('$setOnInsert applies on insert only', async () => {
      const coll = fresh();
      const update = { $setOnInsert: { created: 'first' }, $inc: { hits: 1 } };
      await coll.updateOne({ key: 'x' }, update, { upsert: true });
      await coll.updateOne(
        { key: 'x' },
        { ...update, $setOnInsert: { created: 'second' } },
        { upsert: true },
      );
      const docs = await coll.find({}).toArray();
      expect(docs.map(withoutId)).to.deep.equal([{ key: 'x', created: 'first', hits: 2 }]);
    });

    it('an upsert with a replacement document keeps the filter’s equality fields only via the replacement', async () => {
      const coll = fresh();
      await coll.replaceOne({ _id: 5, name: 'ignored' } as never, { name: 'kept', n: 1 }, { upsert: true });
      expect(await coll.findOne({})).to.deep.equal({ _id: 5, name: 'kept', n: 1 });
    });
  });

  describe('_id immutability', () => {
    it('changing _id with $set fails with ImmutableField (66) and leaves the document', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, a: 1 } as never);
      const error = await expectServerError(
        coll.updateOne({ _id: 1 } as never, { $set: { _id: 2, a: 2 } }),
        66,
      );
      // A write error carries code and errmsg only (no codeName), as MongoDB sends it.
      expect(error.errmsg).to.include('_id');
      expect(await coll.find().toArray()).to.deep.equal([{ _id: 1, a: 1 }]);
    });

    it('a replacement with a different _id fails with ImmutableField (66)', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, a: 1 } as never);
      await expectServerError(coll.replaceOne({ _id: 1 } as never, { _id: 2, a: 2 }), 66);
      expect(await coll.find().toArray()).to.deep.equal([{ _id: 1, a: 1 }]);
    });

    it('$set of the unchanged _id together with other fields is allowed', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 'sid', a: 1 } as never);
      const result = await coll.updateOne({ _id: 'sid' } as never, { $set: { _id: 'sid', a: 2 } });
      expect(result.modifiedCount).to.equal(1);
      expect(await coll.findOne({})).to.deep.equal({ _id: 'sid', a: 2 });
    });
  });

  describe('delete', () => {
    it('deleteOne removes one match, deleteMany every match, and report counts', async () => {
      const coll = fresh();
      await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
      expect((await coll.deleteOne({ g: 1 })).deletedCount).to.equal(1);
      expect(await coll.countDocuments({ g: 1 })).to.equal(2);
      expect((await coll.deleteMany({ g: 1 })).deletedCount).to.equal(2);
      expect((await coll.deleteMany({ g: 99 })).deletedCount).to.equal(0);
      expect(await coll.countDocuments()).to.equal(1);
      const reply = await conf.db.command({ delete: coll.collectionName, deletes: [{ q: {}, limit: 0 }] });
      expect(reply.n).to.equal(1);
    });
  });

  describe('findAndModify', () => {
    it('findOneAndUpdate returns the old or new document, picking the first by sort', async () => {
      const coll = fresh();
      await coll.insertMany([
        { _id: 1, p: 2, n: 0 },
        { _id: 2, p: 1, n: 0 },
      ] as never[]);
      const before = await coll.findOneAndUpdate(
        {},
        { $inc: { n: 1 } },
        { sort: { p: 1 }, returnDocument: 'before' },
      );
      expect(before).to.deep.equal({ _id: 2, p: 1, n: 0 });
      const after = await coll.findOneAndUpdate(
        {},
        { $inc: { n: 1 } },
        { sort: { p: -1 }, returnDocument: 'after' },
      );
      expect(after).to.deep.equal({ _id: 1, p: 2, n: 1 });
      const projected = await coll.findOneAndUpdate(
        { _id: 2 } as never,
        { $set: { x: 1 } },
        { returnDocument: 'after', projection: { x: 1, _id: 0 } },
      );
      expect(projected).to.deep.equal({ x: 1 });
    });

    it('with upsert inserts from the filter and returns null as the old document', async () => {
      const coll = fresh();
      const old = await coll.findOneAndUpdate(
        { key: 'q' },
        { $set: { v: 1 } },
        { upsert: true, returnDocument: 'before' },
      );
      expect(old).to.equal(null);
      const created = await coll.findOneAndUpdate(
        { key: 'r' },
        { $set: { v: 2 } },
        { upsert: true, returnDocument: 'after' },
      );
      expect(withoutId(created ?? {})).to.deep.equal({ key: 'r', v: 2 });
      expect(await coll.countDocuments()).to.equal(2);
    });

    it('the raw command reports lastErrorObject for updates and upserts', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, n: 0 } as never);
      const updated = await conf.db.command({
        findAndModify: coll.collectionName,
        query: { _id: 1 },
        update: { $inc: { n: 1 } },
        new: true,
      });
      expect(updated.value).to.deep.equal({ _id: 1, n: 1 });
      expect(updated.lastErrorObject.n).to.equal(1);
      expect(updated.lastErrorObject.updatedExisting).to.equal(true);
      const upserted = await conf.db.command({
        findAndModify: coll.collectionName,
        query: { _id: 2 },
        update: { $inc: { n: 1 } },
        upsert: true,
        new: true,
      });
      expect(upserted.value).to.deep.equal({ _id: 2, n: 1 });
      expect(upserted.lastErrorObject.updatedExisting).to.equal(false);
      expect(upserted.lastErrorObject.upserted).to.equal(2);
    });

    it('findOneAndDelete removes and returns the first document by sort', async () => {
      const coll = fresh();
      await coll.insertMany([
        { _id: 1, p: 5 },
        { _id: 2, p: 9 },
        { _id: 3, p: 1 },
      ] as never[]);
      expect(await coll.findOneAndDelete({}, { sort: { p: -1 } })).to.deep.equal({ _id: 2, p: 9 });
      expect(await coll.findOneAndDelete({ p: 100 })).to.equal(null);
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).to.deep.equal([1, 3]);
    });

    it('findOneAndReplace replaces the document', async () => {
      const coll = fresh();
      await coll.insertOne({ _id: 1, a: 1 } as never);
      const after = await coll.findOneAndReplace({ _id: 1 } as never, { b: 2 }, { returnDocument: 'after' });
      expect(after).to.deep.equal({ _id: 1, b: 2 });
    });
  });
});
