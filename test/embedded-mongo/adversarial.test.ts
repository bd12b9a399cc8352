/**
 * Hostile and careless input through the real driver: every mistake must come back as MongoDB's error
 * (right code, connection still usable), never as InternalError and never as a half-applied write.
 */
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('conformance: adversarial input', function () {
  const conn = useConformanceDb('conformance_adversarial');
  const coll = () => conn.db.collection<Document>('items');

  beforeEach(async function () {
    await coll().deleteMany({});
    await coll().insertMany([
      { _id: 1 as never, a: 1, b: { c: 2 }, s: 'text' },
      { _id: 2 as never, a: 2, b: { c: 3 }, s: 'more' },
    ]);
  });

  describe('query, projection and expression errors', function () {
    it('a projection mixing inclusion and exclusion fails with 31254 or 31253 naming the field', async function () {
      const inclusion = await expectServerError(coll().find({}).project({ a: 1, s: 0 }).toArray(), 31254);
      expect(inclusion.message).to.include('s');
      await expectServerError(coll().find({}).project({ a: 0, 'b.c': 1 }).toArray(), 31253);
      // _id may be excluded from an inclusion projection.
      const docs = await coll().find({}).project({ _id: 0, a: 1 }).sort({ a: 1 }).toArray();
      expect(docs).to.deep.equal([{ a: 1 }, { a: 2 }]);
    });

    it('an invalid regular expression fails with 51091', async function () {
      await expectServerError(
        coll()
          .find({ s: { $regex: '(' } })
          .toArray(),
        51091,
      );
    });

    it('an unknown query operator fails with BadValue (2)', async function () {
      await expectServerError(
        coll()
          .find({ a: { $foo: 1 } })
          .toArray(),
        2,
      );
      await expectServerError(coll().countDocuments({ a: { $foo: 1 } }), 2);
    });

    it('an unknown expression operator in $expr fails with 168', async function () {
      await expectServerError(
        coll()
          .find({ $expr: { $foo: 1 } })
          .toArray(),
        168,
      );
    });

    it('a bad filter in a delete or update is a write error with the query code, and nothing changes', async function () {
      await expectServerError(coll().deleteMany({ a: { $foo: 1 } }), 2);
      await expectServerError(coll().updateMany({ s: { $regex: '(' } }, { $set: { x: 1 } }), 51091);
      expect(await coll().countDocuments({})).to.equal(2);
      expect(await coll().countDocuments({ x: 1 })).to.equal(0);
    });

    it('the connection answers normally after each of these errors', async function () {
      await expectServerError(
        coll()
          .find({ a: { $foo: 1 } })
          .toArray(),
        2,
      );
      expect(await conn.db.command({ ping: 1 })).to.deep.include({ ok: 1 });
      expect(await coll().countDocuments({})).to.equal(2);
    });
  });

  describe('update paths', function () {
    it('two operators on the same field conflict (40) and the document is unchanged', async function () {
      await expectServerError(coll().updateOne({ _id: 1 as never }, { $set: { a: 5 }, $inc: { a: 1 } }), 40);
      await expectServerError(
        coll().updateOne({ _id: 1 as never }, { $set: { b: 5 }, $unset: { 'b.c': 1 } }),
        40,
      );
      expect(await coll().findOne({ _id: 1 as never })).to.deep.equal({
        _id: 1,
        a: 1,
        b: { c: 2 },
        s: 'text',
      });
    });

    it('$set and $setOnInsert on overlapping paths conflict on an upsert (40) and nothing is inserted', async function () {
      await expectServerError(
        coll().updateOne({ _id: 9 as never }, { $set: { a: 1 }, $setOnInsert: { a: 2 } }, { upsert: true }),
        40,
      );
      expect(await coll().countDocuments({ _id: 9 as never })).to.equal(0);
    });

    it('an empty field name in an update path fails with EmptyFieldName (56)', async function () {
      for (const path of ['', 'a..b', 'b.', '.a']) {
        await expectServerError(coll().updateOne({ _id: 1 as never }, { $set: { [path]: 1 } }), 56);
      }
      await expectServerError(coll().updateOne({ _id: 1 as never }, { $unset: { '': 1 } }), 56);
      expect(await coll().findOne({ _id: 1 as never })).to.deep.equal({
        _id: 1,
        a: 1,
        b: { c: 2 },
        s: 'text',
      });
    });

    it('$rename onto itself or its own subpath fails with BadValue (2)', async function () {
      const same = await expectServerError(coll().updateOne({ _id: 1 as never }, { $rename: { a: 'a' } }), 2);
      expect(same.message).to.include('must differ');
      const nested = await expectServerError(
        coll().updateOne({ _id: 1 as never }, { $rename: { b: 'b.d' } }),
        2,
      );
      expect(nested.message).to.include('same path');
      await expectServerError(coll().updateOne({ _id: 1 as never }, { $rename: { a: 'b..x' } }), 56);
      expect(await coll().findOne({ _id: 1 as never })).to.deep.equal({
        _id: 1,
        a: 1,
        b: { c: 2 },
        s: 'text',
      });
    });

    it('$rename to a free field and $set of disjoint siblings still work', async function () {
      await coll().updateOne({ _id: 1 as never }, { $rename: { a: 'z' }, $set: { 'b.d': 1, bc: 2 } });
      expect(await coll().findOne({ _id: 1 as never })).to.deep.equal({
        _id: 1,
        b: { c: 2, d: 1 },
        s: 'text',
        z: 1,
        bc: 2,
      });
    });
  });
});

describe('conformance: adversarial cursors', function () {
  const conn = useConformanceDb('conformance_adversarial_cursors');

  it('a getMore after the collection was dropped fails with QueryPlanKilled (175), and the connection stays usable', async function () {
    const coll = conn.db.collection<Document>('dropped');
    await coll.insertMany(Array.from({ length: 30 }, (_, i) => ({ i })));
    const cursor = coll.find({}, { batchSize: 5 });
    await cursor.next();
    await coll.drop();
    const error = await expectServerError(cursor.toArray(), 175);
    expect(error.message).to.include('collection dropped');
    await cursor.close();
    expect(await conn.db.command({ ping: 1 })).to.deep.include({ ok: 1 });
  });

  it('a cursor on another collection survives the drop', async function () {
    const kept = conn.db.collection<Document>('kept');
    const other = conn.db.collection<Document>('other');
    await kept.insertMany(Array.from({ length: 12 }, (_, i) => ({ i })));
    await other.insertOne({ x: 1 });
    const cursor = kept.find({}, { batchSize: 5 });
    await cursor.next();
    await other.drop();
    expect(await cursor.toArray()).to.have.length(11);
  });
});
