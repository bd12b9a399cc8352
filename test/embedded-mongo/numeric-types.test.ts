/**
 * Numbers keep their BSON types through storage and updates, and update arithmetic widens them as
 * MongoDB does (int, then long, then double, then decimal). Documents are read back with
 * promoteValues: false, so the driver shows each number's type. These pass against a real MongoDB
 * replica set too.
 */
import { expect } from 'chai';
import { Decimal128, Double, Int32, Long, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: numeric types', () => {
  const conf = useConformanceDb('conf_numeric_types');
  const coll = () => conf.db.collection<Document>('numbers');
  const typed = async (id: number): Promise<Document> =>
    (await coll().findOne({ _id: id as never }, { promoteValues: false }))!;
  const update = (id: number, u: Document) => coll().updateOne({ _id: id as never }, u);

  beforeEach(async () => {
    await coll().deleteMany({});
  });

  it('a double with an integral value stays a double: $type finds it and it comes back as one', async () => {
    await coll().insertMany([
      { _id: 1 as never, v: new Double(42) },
      { _id: 2 as never, v: 42 },
      { _id: 3 as never, v: 42.5 },
    ]);
    const ids = async (type: string) =>
      (
        await coll()
          .find({ v: { $type: type } })
          .toArray()
      ).map((d) => d._id as unknown);
    expect(await ids('double')).to.deep.equal([1, 3]);
    expect(await ids('int')).to.deep.equal([2]);
    expect((await typed(1)).v).to.be.instanceOf(Double);
    expect((await typed(2)).v).to.be.instanceOf(Int32);
    // Equal as numbers all the same.
    expect(await coll().countDocuments({ v: 42 })).to.equal(2);
  });

  it('$inc keeps a double a double and an int an int; an int that overflows becomes a long', async () => {
    await coll().insertOne({ _id: 1 as never, d: new Double(1), i: 1, big: 2147483647 });
    await update(1, { $inc: { d: 1, i: 1, big: 1 } });
    const doc = await typed(1);
    expect(doc.d).to.deep.equal(new Double(2));
    expect(doc.i).to.deep.equal(new Int32(2));
    expect(doc.big).to.deep.equal(Long.fromNumber(2147483648));
  });

  it('$mul widens like $inc, and a missing field becomes zero of the multiplier’s type', async () => {
    await coll().insertOne({ _id: 1 as never, i: 5, l: Long.fromNumber(3), p: new Decimal128('1.5') });
    await update(1, {
      $mul: { i: new Double(2), l: 4, p: new Decimal128('2'), none: Long.fromNumber(7), zero: 3 },
    });
    const doc = await typed(1);
    expect(doc.i).to.deep.equal(new Double(10));
    expect(doc.l).to.deep.equal(Long.fromNumber(12));
    expect((doc.p as Decimal128).toString()).to.equal('3.0');
    expect(doc.none).to.deep.equal(Long.fromNumber(0));
    expect(doc.zero).to.deep.equal(new Int32(0));
    await expectServerError(update(1, { $mul: { i: 'x' } }), 14);
  });

  it('$set of an int over an equal double changes the stored type, and counts as a modification', async () => {
    await coll().insertOne({ _id: 1 as never, v: new Double(5) });
    const result = await update(1, { $set: { v: 5 } });
    expect(result.modifiedCount).to.equal(1);
    expect((await typed(1)).v).to.deep.equal(new Int32(5));
    expect((await update(1, { $set: { v: 5 } })).modifiedCount).to.equal(0);
  });

  it('$bit and, or and xor work on ints and longs, and refuse a double field with BadValue (2)', async () => {
    await coll().insertOne({ _id: 1 as never, a: 13, b: Long.fromNumber(1), c: 12, d: new Double(3) });
    await update(1, { $bit: { a: { and: 10 }, b: { or: 4 }, c: { xor: 5 } } });
    const doc = await typed(1);
    expect(doc.a).to.deep.equal(new Int32(8));
    expect(doc.b).to.deep.equal(Long.fromNumber(5));
    expect(doc.c).to.deep.equal(new Int32(9));
    await expectServerError(update(1, { $bit: { d: { and: 1 } } }), 2);
  });

  it('a pipeline update leaves the type of a double it does not touch', async () => {
    await coll().insertOne({ _id: 1 as never, d: new Double(7), n: 1 });
    await update(1, [{ $set: { n: { $add: ['$n', 1] } } }]);
    const doc = await typed(1);
    expect(doc.d).to.deep.equal(new Double(7));
    expect(Number(doc.n)).to.equal(2);
  });

  it('a decimal equals a double only when the double is exactly that decimal (9.99 is not, 0.5 is)', async () => {
    await coll().insertMany([
      { _id: 1 as never, val: new Decimal128('9.99') },
      { _id: 2 as never, val: 9.99 },
      { _id: 3 as never, val: new Decimal128('0.50') },
      { _id: 4 as never, val: 0.5 },
    ]);
    const ids = async (filter: Document) =>
      (await coll().find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id as unknown);
    expect(await ids({ val: 9.99 })).to.deep.equal([2]);
    expect(await ids({ val: new Decimal128('9.99') })).to.deep.equal([1]);
    expect(await ids({ val: 0.5 })).to.deep.equal([3, 4]);
    // The double 9.99 is 9.9900000000000002131628...: above the decimal.
    expect(await ids({ val: { $gt: new Decimal128('9.99') } })).to.deep.equal([2]);
    const sorted = (await coll().find().sort({ val: 1, _id: 1 }).toArray()).map((d) => d._id as unknown);
    expect(sorted).to.deep.equal([3, 4, 1, 2]);
  });
});
