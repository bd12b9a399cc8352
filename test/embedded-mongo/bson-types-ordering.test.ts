import { expect } from 'chai';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, type Document } from 'mongodb';
import { useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: BSON types, comparison and sort order', () => {
  const conf = useConformanceDb('conf_bson');

  it('sorts across types as MongoDB does: null < numbers < strings < objects < binary < ObjectId < booleans < dates', async () => {
    const coll = conf.db.collection('mixed');
    const oid = new ObjectId();
    await coll.insertMany([
      { _id: 'date', v: new Date('2020-01-01') },
      { _id: 'bool', v: false },
      { _id: 'oid', v: oid },
      { _id: 'bin', v: new Binary(Buffer.from([1, 2])) },
      { _id: 'obj', v: { a: 1 } },
      { _id: 'str', v: 'abc' },
      { _id: 'num', v: 42 },
      { _id: 'null', v: null },
    ] as never[]);
    const ascending = (await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id);
    expect(ascending).to.deep.equal(['null', 'num', 'str', 'obj', 'bin', 'oid', 'bool', 'date']);
    const descending = (await coll.find().sort({ v: -1 }).toArray()).map((d) => d._id);
    expect(descending).to.deep.equal([...ascending].reverse());
    const viaAggregate = (await coll.aggregate([{ $sort: { v: 1 } }]).toArray()).map((d): unknown => d._id);
    expect(viaAggregate, 'aggregation $sort').to.deep.equal(ascending);
  });

  it('aggregation $cmp orders whole values by type, arrays between objects and binary', async () => {
    const coll = conf.db.collection('cmp');
    await coll.insertOne({ _id: 1 } as never);
    // One value per type, in MongoDB's documented order; each must compare below the next.
    const ordered: unknown[] = [
      null,
      42,
      'abc',
      { a: 1 },
      [1],
      new Binary(Buffer.from([1])),
      new ObjectId(),
      false,
      new Date('2020-01-01'),
    ];
    const comparisons = Object.fromEntries(
      ordered
        .slice(0, -1)
        .map((value, i) => [`c${i}`, { $cmp: [{ $literal: value }, { $literal: ordered[i + 1] }] }]),
    );
    const [row] = await coll.aggregate([{ $project: { _id: 0, ...comparisons } }]).toArray();
    expect(Object.values(row ?? {})).to.deep.equal(Array.from({ length: ordered.length - 1 }, () => -1));
  });

  it('$group $min and $max compare values of different types by the type order', async () => {
    const coll = conf.db.collection('minmax');
    await coll.insertMany([
      { v: 'str' },
      { v: { a: 1 } },
      { v: [1] },
      { v: new ObjectId() },
      { v: false },
      { v: 5 },
      { v: null },
    ]);
    const [row] = await coll
      .aggregate([{ $group: { _id: null, min: { $min: '$v' }, max: { $max: '$v' } } }])
      .toArray();
    expect(row?.min).to.equal(5);
    expect(row?.max).to.equal(false);
  });

  it('a missing field sorts with null, before numbers', async () => {
    const coll = conf.db.collection('missing');
    await coll.insertMany([{ _id: 1, v: 1 }, { _id: 2 }, { _id: 3, v: 'a' }] as never[]);
    expect((await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id)).to.deep.equal([2, 1, 3]);
  });

  it('numbers of every BSON type compare by value', async () => {
    const coll = conf.db.collection('numbers');
    await coll.insertMany([
      { _id: 'int', v: new Int32(3) },
      { _id: 'double', v: new Double(2.5) },
      { _id: 'long', v: Long.fromNumber(10) },
      { _id: 'decimal', v: Decimal128.fromString('4.75') },
    ] as never[]);
    expect((await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id)).to.deep.equal([
      'double',
      'int',
      'decimal',
      'long',
    ]);
    const gt = (await coll.find({ v: { $gt: Decimal128.fromString('3') } }).toArray())
      .map((d) => d._id)
      .sort();
    expect(gt).to.deep.equal(['decimal', 'long']);
    expect(await coll.countDocuments({ v: 10 })).to.equal(1);
    expect(await coll.countDocuments({ v: Decimal128.fromString('3.0') })).to.equal(1);
  });

  it('array fields sort by their smallest element ascending and largest descending', async () => {
    const coll = conf.db.collection('arrays');
    await coll.insertMany([
      { _id: 'a', v: [1, 5] },
      { _id: 'b', v: [2, 3] },
      { _id: 'c', v: 4 },
    ] as never[]);
    expect((await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id)).to.deep.equal(['a', 'b', 'c']);
    expect((await coll.find().sort({ v: -1 }).toArray()).map((d) => d._id)).to.deep.equal(['a', 'c', 'b']);
  });

  it('an empty array sorts before a missing field, in both directions at the low end', async () => {
    const coll = conf.db.collection('empties');
    await coll.insertMany([
      { _id: 'two', v: 2 },
      { _id: 'pair', v: [0, 1] },
      { _id: 'missing' },
      { _id: 'empty', v: [] },
    ] as never[]);
    expect((await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id)).to.deep.equal([
      'empty',
      'missing',
      'pair',
      'two',
    ]);
    expect((await coll.find().sort({ v: -1 }).toArray()).map((d) => d._id)).to.deep.equal([
      'two',
      'pair',
      'missing',
      'empty',
    ]);
  });

  it('range queries only match values of the operand’s type (type bracketing)', async () => {
    const coll = conf.db.collection('bracketing');
    await coll.insertMany([
      { _id: 'num', v: 5 },
      { _id: 'str', v: 'five' },
      { _id: 'date', v: new Date('2021-01-01') },
      { _id: 'null', v: null },
      { _id: 'bool', v: true },
    ] as never[]);
    const ids = async (filter: Document) =>
      (await coll.find(filter).toArray()).map((d) => String(d._id)).sort();
    expect(await ids({ v: { $gte: 0 } })).to.deep.equal(['num']);
    expect(await ids({ v: { $lt: 'zzz' } })).to.deep.equal(['str']);
    expect(await ids({ v: { $gt: new Date('2000-01-01') } })).to.deep.equal(['date']);
    expect(await ids({ v: { $lte: 100 } })).to.deep.equal(['num']);
  });

  describe('Decimal128', () => {
    it('compares numerically in range queries, not as strings', async () => {
      const coll = conf.db.collection('dec');
      await coll.insertMany([
        { _id: 1, v: Decimal128.fromString('10') },
        { _id: 2, v: Decimal128.fromString('2') },
        { _id: 3, v: Decimal128.fromString('2.6') },
        { _id: 4, v: Decimal128.fromString('-1') },
      ] as never[]);
      const ids = (
        await coll
          .find({ v: { $gt: Decimal128.fromString('2.5') } })
          .sort({ v: 1 })
          .toArray()
      ).map((d) => d._id);
      expect(ids).to.deep.equal([3, 1]);
      expect((await coll.find({ v: { $lt: 2 } }).toArray()).map((d) => d._id)).to.deep.equal([4]);
    });

    it('$inc adds exactly and keeps the decimal type', async () => {
      const coll = conf.db.collection('decinc');
      await coll.insertOne({ _id: 1, v: Decimal128.fromString('0.1') } as never);
      await coll.updateOne({ _id: 1 } as never, { $inc: { v: Decimal128.fromString('0.2') } });
      const doc = await coll.findOne({ _id: 1 } as never);
      expect(doc?.v).to.be.instanceOf(Decimal128);
      expect(Number((doc?.v as Decimal128).toString())).to.equal(0.3);
      expect(await coll.countDocuments({ v: Decimal128.fromString('0.3') })).to.equal(1);
    });

    it('$sum of decimals is a decimal with the exact total', async () => {
      const coll = conf.db.collection('decsum');
      await coll.insertMany([
        { v: Decimal128.fromString('0.1') },
        { v: Decimal128.fromString('0.2') },
        { v: Decimal128.fromString('1.7') },
      ]);
      const [row] = await coll.aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }]).toArray();
      expect(row?.total).to.be.instanceOf(Decimal128);
      expect(Number((row?.total as Decimal128).toString())).to.equal(2);
    });
  });

  describe('Long (Int64)', () => {
    const big = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a double

    it('compares beyond 2^53 exactly', async () => {
      const coll = conf.db.collection('long');
      await coll.insertMany([
        { _id: 'lo', v: Long.fromBigInt(big - 1n) },
        { _id: 'hi', v: Long.fromBigInt(big) },
      ] as never[]);
      const above = await coll.find({ v: { $gt: Long.fromBigInt(big - 1n) } }).toArray();
      expect(above.map((d) => d._id)).to.deep.equal(['hi']);
      const sorted = (await coll.find().sort({ v: -1 }).toArray()).map((d) => d._id);
      expect(sorted).to.deep.equal(['hi', 'lo']);
    });

    it('$inc keeps the long type and exact value', async () => {
      const coll = conf.db.collection('longinc');
      await coll.insertOne({ _id: 1, v: Long.fromBigInt(big) } as never);
      await coll.updateOne({ _id: 1 } as never, { $inc: { v: Long.fromNumber(2) } });
      await coll.updateOne({ _id: 1 } as never, { $inc: { v: 1 } });
      const doc = await coll.findOne({ _id: 1 } as never, { useBigInt64: true });
      expect(doc?.v).to.equal(big + 3n);
      expect(await coll.countDocuments({ _id: 1, v: { $type: 'long' } } as Document)).to.equal(1);
    });

    it('$sum of longs is exact', async () => {
      const coll = conf.db.collection('longsum');
      await coll.insertMany([{ v: Long.fromBigInt(big) }, { v: Long.fromNumber(1) }]);
      const [row] = await coll
        .aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }], { useBigInt64: true })
        .toArray();
      expect(row?.total).to.equal(big + 1n);
    });
  });

  it('$type matches by alias and by number', async () => {
    const coll = conf.db.collection('types');
    await coll.insertMany([
      { _id: 'oid', v: new ObjectId() },
      { _id: 'long', v: Long.fromNumber(5) },
      { _id: 'decimal', v: Decimal128.fromString('1.5') },
      { _id: 'int', v: new Int32(1) },
      { _id: 'double', v: new Double(1.5) },
      { _id: 'string', v: 's' },
      { _id: 'date', v: new Date() },
      { _id: 'null', v: null },
      { _id: 'array', v: [1] },
    ] as never[]);
    const idsOf = async (type: unknown) =>
      (await coll.find({ v: { $type: type } } as Document).toArray()).map((d) => String(d._id)).sort();
    expect(await idsOf('objectId')).to.deep.equal(['oid']);
    expect(await idsOf('long')).to.deep.equal(['long']);
    expect(await idsOf('decimal')).to.deep.equal(['decimal']);
    expect(await idsOf('int')).to.deep.equal(['array', 'int']);
    expect(await idsOf('double')).to.deep.equal(['double']);
    expect(await idsOf('string')).to.deep.equal(['string']);
    expect(await idsOf('date')).to.deep.equal(['date']);
    expect(await idsOf('null')).to.deep.equal(['null']);
    expect(await idsOf('array')).to.deep.equal(['array']);
    expect(await idsOf('number')).to.deep.equal(['array', 'decimal', 'double', 'int', 'long']);
    expect(await idsOf(7)).to.deep.equal(['oid']);
    expect(await idsOf(['long', 'decimal'])).to.deep.equal(['decimal', 'long']);
  });
});
