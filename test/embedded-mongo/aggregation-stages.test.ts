/**
 * Aggregation as reports use it, with answers from MongoDB's manual and semantics: $dateTrunc by
 * unit and zone, $unwind options, accumulators, $setWindowFields, $bucket with a default, $lookup
 * with a sub-pipeline, and expressions over stored doubles. These pass against a real MongoDB
 * replica set too.
 */
import { expect } from 'chai';
import { Decimal128, Double, Long, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: aggregation stages and expressions', () => {
  const conf = useConformanceDb('conf_aggregation');
  const coll = (name: string) => conf.db.collection<Document>(name);
  const run = (name: string, pipeline: Document[]) => coll(name).aggregate(pipeline).toArray();

  describe('$dateTrunc', () => {
    const at = new Date('2021-03-20T11:30:05Z'); // a Saturday
    const trunc = async (spec: Document): Promise<unknown> => {
      const [row] = await run('dates', [
        { $project: { _id: 0, t: { $dateTrunc: { date: '$at', ...spec } } } },
      ]);
      return row!.t;
    };

    before(async () => {
      await coll('dates').insertOne({ _id: 1 as never, at });
    });

    it('truncates to the hour, to two-hour bins, and to the day, month, quarter and year', async () => {
      expect(await trunc({ unit: 'hour' })).to.deep.equal(new Date('2021-03-20T11:00:00Z'));
      expect(await trunc({ unit: 'hour', binSize: 2 })).to.deep.equal(new Date('2021-03-20T10:00:00Z'));
      expect(await trunc({ unit: 'minute', binSize: 15 })).to.deep.equal(new Date('2021-03-20T11:30:00Z'));
      expect(await trunc({ unit: 'day' })).to.deep.equal(new Date('2021-03-20T00:00:00Z'));
      expect(await trunc({ unit: 'month' })).to.deep.equal(new Date('2021-03-01T00:00:00Z'));
      expect(await trunc({ unit: 'quarter' })).to.deep.equal(new Date('2021-01-01T00:00:00Z'));
      expect(await trunc({ unit: 'year' })).to.deep.equal(new Date('2021-01-01T00:00:00Z'));
    });

    it('starts weeks on Sunday unless startOfWeek says otherwise', async () => {
      expect(await trunc({ unit: 'week' })).to.deep.equal(new Date('2021-03-14T00:00:00Z'));
      expect(await trunc({ unit: 'week', startOfWeek: 'monday' })).to.deep.equal(
        new Date('2021-03-15T00:00:00Z'),
      );
      expect(await trunc({ unit: 'week', startOfWeek: 'SAT' })).to.deep.equal(
        new Date('2021-03-20T00:00:00Z'),
      );
    });

    it('takes the day in the given zone, offsets and daylight saving included', async () => {
      expect(await trunc({ unit: 'day', timezone: '+05:30' })).to.deep.equal(
        new Date('2021-03-19T18:30:00Z'),
      );
      expect(await trunc({ unit: 'day', timezone: '-0800' })).to.deep.equal(new Date('2021-03-20T08:00:00Z'));
      await coll('dates').insertOne({ _id: 2 as never, at: new Date('2021-03-29T10:00:00Z') });
      const [, second] = await run('dates', [
        { $sort: { _id: 1 } },
        { $project: { t: { $dateTrunc: { date: '$at', unit: 'day', timezone: 'Europe/Berlin' } } } },
      ]);
      // 29 March 2021 in Berlin is on summer time (+02:00), the day before on winter time.
      expect(second!.t).to.deep.equal(new Date('2021-03-28T22:00:00Z'));
    });

    it('gives null for a missing date or unit', async () => {
      expect(await trunc({ date: '$nope', unit: 'day' })).to.equal(null);
      expect(await trunc({ unit: null })).to.equal(null);
    });
  });

  describe('stages', () => {
    before(async () => {
      await coll('orders').insertMany([
        { _id: 1 as never, customer: 'a', items: ['pen', 'ink'], total: new Double(20), at: 1 },
        { _id: 2 as never, customer: 'b', items: [], total: 7.5, at: 2 },
        { _id: 3 as never, customer: 'a', total: 12, at: 3 },
        { _id: 4 as never, customer: 'c', items: ['pad'], total: new Double(30), at: 4 },
      ]);
      await coll('customers').insertMany([
        { _id: 'a' as never, name: 'Ahmad', minTotal: 15 },
        { _id: 'b' as never, name: 'Bibi', minTotal: 0 },
      ]);
    });

    it('$unwind with includeArrayIndex and preserveNullAndEmptyArrays keeps every order', async () => {
      const rows = await run('orders', [
        { $unwind: { path: '$items', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } },
        { $project: { _id: 1, items: 1, i: 1 } },
      ]);
      expect(rows).to.deep.equal([
        { _id: 1, items: 'pen', i: 0 },
        { _id: 1, items: 'ink', i: 1 },
        { _id: 2, i: null },
        { _id: 3, i: null },
        { _id: 4, items: 'pad', i: 0 },
      ]);
    });

    it('$group accumulators sum and average stored doubles and keep first, last and distinct values', async () => {
      const rows = await run('orders', [
        { $sort: { at: 1 } },
        {
          $group: {
            _id: '$customer',
            sum: { $sum: '$total' },
            avg: { $avg: '$total' },
            first: { $first: '$at' },
            last: { $last: '$at' },
            items: { $addToSet: { $size: { $ifNull: ['$items', []] } } },
          },
        },
        { $sort: { _id: 1 } },
      ]);
      expect(
        rows.map((r): unknown[] => [r._id, r.sum, r.avg, r.first, r.last, (r.items as number[]).sort()]),
      ).to.deep.equal([
        ['a', 32, 16, 1, 3, [0, 2]],
        ['b', 7.5, 7.5, 2, 2, [0]],
        ['c', 30, 30, 4, 4, [1]],
      ]);
    });

    it('$expr, $match and computed fields work on stored doubles as on any number', async () => {
      const rows = await run('orders', [
        { $match: { $expr: { $gte: [{ $multiply: ['$total', 2] }, 40] } } },
        { $project: { half: { $divide: ['$total', 2] } } },
      ]);
      expect(rows).to.deep.equal([
        { _id: 1, half: 10 },
        { _id: 4, half: 15 },
      ]);
      expect(await coll('orders').countDocuments({ $expr: { $eq: ['$total', 20] } })).to.equal(1);
    });

    it('$setWindowFields ranks and numbers documents within partitions', async () => {
      const rows = await run('orders', [
        {
          $setWindowFields: {
            partitionBy: '$customer',
            sortBy: { total: -1 },
            output: { rank: { $rank: {} }, n: { $documentNumber: {} } },
          },
        },
        { $project: { rank: 1, n: 1 } },
        { $sort: { _id: 1 } },
      ]);
      expect(rows).to.deep.equal([
        { _id: 1, rank: 1, n: 1 },
        { _id: 2, rank: 1, n: 1 },
        { _id: 3, rank: 2, n: 2 },
        { _id: 4, rank: 1, n: 1 },
      ]);
    });

    it('$bucket sends values outside the boundaries to the default, with the output asked for', async () => {
      const rows = await run('orders', [
        {
          $bucket: {
            groupBy: '$total',
            boundaries: [0, 10, 25],
            default: 'large',
            output: { n: { $sum: 1 }, ids: { $push: '$_id' } },
          },
        },
      ]);
      expect(rows).to.deep.equal([
        { _id: 0, n: 1, ids: [2] },
        { _id: 10, n: 2, ids: [1, 3] },
        { _id: 'large', n: 1, ids: [4] },
      ]);
    });

    it('$lookup with let and a sub-pipeline joins on an expression; a missing collection joins nothing', async () => {
      const rows = await run('customers', [
        {
          $lookup: {
            from: 'orders',
            let: { who: '$_id', min: '$minTotal' },
            pipeline: [
              {
                $match: { $expr: { $and: [{ $eq: ['$customer', '$$who'] }, { $gt: ['$total', '$$min'] }] } },
              },
              { $project: { _id: 1 } },
            ],
            as: 'big',
          },
        },
        { $lookup: { from: 'nowhere', localField: '_id', foreignField: 'x', as: 'none' } },
        { $project: { big: 1, none: 1 } },
      ]);
      expect(rows).to.deep.equal([
        { _id: 'a', big: [{ _id: 1 }], none: [] },
        { _id: 'b', big: [{ _id: 2 }], none: [] },
      ]);
    });

    it('$sample of more than there is returns each document once', async () => {
      const ids = (await run('orders', [{ $sample: { size: 10 } }])).map((r) => r._id as number);
      expect(ids.sort()).to.deep.equal([1, 2, 3, 4]);
    });

    it('an unknown accumulator or a $group without _id is refused', async () => {
      await expectServerError(run('orders', [{ $group: { _id: null, x: { $frobnicate: 1 } } }]), 15952);
      await expectServerError(run('orders', [{ $group: { n: { $sum: 1 } } }]), 15955);
    });

    it('refuses stage arguments MongoDB refuses, with its codes', async () => {
      const refusals: [Document, number][] = [
        [{ $limit: 0 }, 15958],
        [{ $skip: -1 }, 15956],
        [{ $sort: { total: 2 } }, 15975],
        [{ $sort: {} }, 15976],
        [{ $unwind: 'items' }, 28818],
        [{ $unwind: { path: '$items', keep: true } }, 28811],
        [{ $count: '' }, 40157],
        [{ $count: '$n' }, 40158],
        [{ $count: 'a.b' }, 40160],
        [{ $sample: { size: -1 } }, 28747],
        [{ $sample: {} }, 28749],
        [{ $bucket: { groupBy: '$total', boundaries: [1] } }, 40192],
        [{ $bucket: { groupBy: '$total', boundaries: [1, 'a'] } }, 40193],
        [{ $bucket: { groupBy: '$total', boundaries: [5, 1] } }, 40194],
        [{ $bucket: { groupBy: '$total', boundaries: [0, 50], default: 10 } }, 40199],
      ];
      for (const [stage, code] of refusals) await expectServerError(run('orders', [stage]), code);
      // Inside $facet too.
      await expectServerError(run('orders', [{ $facet: { a: [{ $limit: -1 }] } }]), 15958);
      // A code without a name of its own is named after its number, as MongoDB names it.
      const error = await expectServerError(run('orders', [{ $limit: 0 }]), 15958);
      expect(error.codeName).to.equal('Location15958');
    });

    it('$bucket without a default fails on a value outside its boundaries (40066)', async () => {
      await expectServerError(
        run('orders', [{ $bucket: { groupBy: '$total', boundaries: [0, 25] } }]),
        40066,
      );
    });

    it('$group, $sortByCount and $addToSet take numerically equal values of any type as one, and skip missing ones', async () => {
      await coll('mixed').insertMany([
        { k: 1 },
        { k: Long.fromNumber(1) },
        { k: new Double(1) },
        { k: new Decimal128('1.0') },
        { k: { x: 1 } },
        { k: { x: Long.fromNumber(1) } },
        {},
      ]);
      const groups = await run('mixed', [{ $group: { _id: '$k', n: { $sum: 1 } } }, { $sort: { n: -1 } }]);
      expect(groups.map((g): unknown[] => [Number(g._id as number) || g._id, g.n])).to.deep.equal([
        [1, 4],
        [{ x: 1 }, 2],
        [null, 1],
      ]);
      const counts = await run('mixed', [{ $sortByCount: '$k' }]);
      expect(counts.map((g) => g.count as number)).to.deep.equal([4, 2, 1]);
      // Missing values are left out of both, as MongoDB leaves them out.
      const [set] = await run('mixed', [
        { $group: { _id: null, ks: { $addToSet: '$k' }, all: { $push: '$k' } } },
      ]);
      expect(set!.ks).to.have.length(2);
      expect(set!.all).to.have.length(6);
    });

    it('$project keeps _id first and the document’s own field order', async () => {
      const [row] = await run('orders', [
        { $match: { _id: 1 as never } },
        { $project: { total: 1, customer: 1 } },
      ]);
      expect(Object.keys(row!)).to.deep.equal(['_id', 'customer', 'total']);
    });

    it('$unionWith appends another collection, through its own pipeline', async () => {
      const rows = await run('orders', [
        { $project: { _id: 1 } },
        { $unionWith: { coll: 'customers', pipeline: [{ $project: { _id: 1 } }] } },
        { $sort: { _id: 1 } },
      ]);
      expect(rows.map((r) => r._id as unknown)).to.deep.equal([1, 2, 3, 4, 'a', 'b']);
    });

    it('$replaceRoot whose new root is not a document fails with 40228', async () => {
      await expectServerError(run('orders', [{ $replaceRoot: { newRoot: '$items' } }]), 40228);
    });
  });
});
