/**
 * Answers the store once got wrong with no error, each checked against MongoDB's documented answer.
 * Every test here passes against a real MongoDB replica set too (MONGODB_URI=... npm test); where the
 * store refuses a feature instead (collation), the test accepts MongoDB's answer or that refusal, and
 * nothing else.
 */
import { expect } from 'chai';
import { MongoServerError, Timestamp, type Document } from 'mongodb';
import { expectServerError, usingRealMongo, useConformanceDb } from './support/conformance-db.js';

const NOT_SUPPORTED = /not supported by the embedded store; use MongoDB/;

describe('embedded store conformance: answers MongoDB gives', () => {
  const conf = useConformanceDb('conf_answers');
  // Ids here are strings and numbers, as the tests write them.
  const coll = (name: string) => conf.db.collection(name);
  const insert = (name: string, docs: object[]) => coll(name).insertMany(docs);
  const byId = (id: number | string) => ({ _id: id }) as never;

  before(async () => {
    await insert('items', [
      { _id: 'a', name: 'A' },
      { _id: 'b', name: 'B' },
      { _id: 'c', name: 'C' },
    ]);
    await insert('orders', [
      { _id: 1, item: 'a', qty: 0 },
      { _id: 2, item: 'b', qty: 2 },
      { _id: 3, item: 'a', qty: 4 },
      { _id: 4, item: 'a', qty: 5 },
      { _id: 5, item: 'b', qty: 4 },
      { _id: 6, item: 'z', qty: 7 },
    ]);
  });

  it('$lookup with localField/foreignField and a pipeline runs the pipeline over the matched documents only', async () => {
    const rows = await coll('items')
      .aggregate([
        {
          $lookup: {
            from: 'orders',
            localField: '_id',
            foreignField: 'item',
            pipeline: [{ $project: { _id: 0, qty: 1 } }],
            as: 'orders',
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(
      rows.map((r) => [r._id as unknown, (r.orders as Document[]).map((o) => o.qty as number)]),
    ).to.deep.equal([
      ['a', [0, 4, 5]],
      ['b', [2, 4]],
      ['c', []],
    ]);
  });

  it('$count over no input returns no document, also inside $facet', async () => {
    expect(
      await coll('orders')
        .aggregate([{ $match: { qty: 99 } }, { $count: 'n' }])
        .toArray(),
    ).to.deep.equal([]);
    const [facets] = await coll('orders')
      .aggregate([{ $facet: { none: [{ $match: { qty: 99 } }, { $count: 'n' }], all: [{ $count: 'n' }] } }])
      .toArray();
    expect(facets).to.deep.equal({ none: [], all: [{ n: 6 }] });
  });

  it('$bucket puts a value on an inner boundary in the bucket it opens and omits empty buckets', async () => {
    const rows = await coll('orders')
      .aggregate([{ $bucket: { groupBy: '$qty', boundaries: [0, 2, 4, 6, 8, 10], default: 'other' } }])
      .toArray();
    expect(rows).to.deep.equal([
      { _id: 0, count: 1 },
      { _id: 2, count: 1 },
      { _id: 4, count: 3 },
      { _id: 6, count: 1 },
    ]);
  });

  it('$sample never returns a document twice', async () => {
    const rows = await coll('orders')
      .aggregate([{ $sample: { size: 50 } }])
      .toArray();
    expect(rows).to.have.length(6);
    expect(new Set(rows.map((r) => r._id as number)).size).to.equal(6);
  });

  it('$top and $bottom return the chosen output itself, not wrapped in an array', async () => {
    const [row] = await coll('orders')
      .aggregate([
        {
          $group: {
            _id: null,
            most: { $top: { sortBy: { qty: -1 }, output: '$item' } },
            least: { $bottom: { sortBy: { qty: -1 }, output: ['$item', '$qty'] } },
            firstTwo: { $topN: { n: 2, sortBy: { qty: 1 }, output: '$qty' } },
          },
        },
      ])
      .toArray();
    expect(row).to.deep.equal({ _id: null, most: 'z', least: ['a', 0], firstTwo: [0, 2] });
  });

  it('$dateTrunc by day in Asia/Kabul (+04:30) starts the day at 19:30 UTC', async () => {
    const truncate = (iso: string) => ({
      $dateTrunc: { date: new Date(iso), unit: 'day', timezone: 'Asia/Kabul' },
    });
    const [row] = await coll('orders')
      .aggregate([
        { $limit: 1 },
        {
          $project: {
            _id: 0,
            afterCut: truncate('2024-03-10T19:45:00Z'),
            beforeCut: truncate('2024-03-10T19:15:00Z'),
            week: {
              $dateTrunc: { date: new Date('2024-03-10T19:45:00Z'), unit: 'week', timezone: 'Asia/Kabul' },
            },
          },
        },
      ])
      .toArray();
    expect(row).to.deep.equal({
      afterCut: new Date('2024-03-10T19:30:00Z'),
      beforeCut: new Date('2024-03-09T19:30:00Z'),
      // That instant is 00:15 on Monday 11 March in Kabul; its week began on Sunday 10 March, 00:00 local.
      week: new Date('2024-03-09T19:30:00Z'),
    });
  });

  it('$currentDate with {$type: "timestamp"} stores a Timestamp', async () => {
    await insert('stamps', [{ _id: 1 }]);
    await coll('stamps').updateOne(byId(1), {
      $currentDate: { at: { $type: 'timestamp' }, on: true },
    } as never);
    const doc = await coll('stamps').findOne(byId(1));
    expect(doc?.at).to.be.instanceOf(Timestamp);
    expect(doc?.on).to.be.instanceOf(Date);
  });

  it('compares strings by code point: an emoji sorts after an Arabic presentation form', async () => {
    const emoji = '\u{1F600}';
    const arabic = '\uFB50';
    await insert('strings', [
      { _id: 1, s: emoji },
      { _id: 2, s: arabic },
    ]);
    const sorted = await coll('strings').find().sort({ s: 1 }).toArray();
    expect(sorted.map((d) => d.s as string)).to.deep.equal([arabic, emoji]);
    expect(
      (
        await coll('strings')
          .find({ s: { $gt: arabic } })
          .toArray()
      ).map((d) => d._id as unknown),
    ).to.deep.equal([1]);
  });

  it('refuses a document nested deeper than 100 levels and accepts one of 50', async () => {
    const nested = (depth: number): Document => {
      let doc: Document = { leaf: true };
      for (let i = 0; i < depth; i++) doc = { d: doc };
      return doc;
    };
    await insert('deep', [{ _id: 'ok', ...nested(50) }]);
    let caught: unknown;
    try {
      await insert('deep', [{ _id: 'deep', ...nested(150) }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(MongoServerError);
    expect(await coll('deep').countDocuments(byId('deep'))).to.equal(0);
  });

  it('updates two fields of the same positional element ($, $[] and $[e]) in one update', async () => {
    const items = () => [
      { id: 'a', s: 0, log: [] },
      { id: 'b', s: 0, log: [] },
    ];
    await insert('positional', [{ _id: 1, items: items() }]);
    const sameElement = { $set: { 'items.$.s': 1, 'items.$.by': 'u' }, $push: { 'items.$.log': 'x' } };
    await coll('positional').updateOne({ _id: 1, 'items.id': 'b' } as never, sameElement as never);
    let doc = await coll('positional').findOne(byId(1));
    expect(doc?.items).to.deep.equal([
      { id: 'a', s: 0, log: [] },
      { id: 'b', s: 1, log: ['x'], by: 'u' },
    ]);
    await coll('positional').updateOne(byId(1), { $set: { 'items.$[].s': 2, 'items.$[].by': 'v' } });
    await coll('positional').updateOne(
      byId(1),
      { $set: { 'items.$[e].s': 3, 'items.$[e].by': 'w' }, $push: { 'items.$[e].log': 'y' } } as never,
      { arrayFilters: [{ 'e.id': 'a' }] },
    );
    doc = await coll('positional').findOne(byId(1));
    expect(doc?.items).to.deep.equal([
      { id: 'a', s: 3, log: ['y'], by: 'w' },
      { id: 'b', s: 2, log: ['x'], by: 'v' },
    ]);
  });

  it('applies a pipeline update whose $replaceWith only adds fields', async () => {
    await insert('replaced', [{ _id: 1, a: 1 }]);
    const result = await coll('replaced').updateOne(byId(1), [
      { $replaceWith: { $mergeObjects: ['$$ROOT', { b: 2 }] } },
    ]);
    expect(result.modifiedCount).to.equal(1);
    expect(await coll('replaced').findOne(byId(1))).to.deep.equal({ _id: 1, a: 1, b: 2 });
  });

  it('runs $setWindowFields (a running total)', async () => {
    const rows = await coll('orders')
      .aggregate([
        { $match: { item: 'a' } },
        {
          $setWindowFields: {
            sortBy: { qty: 1 },
            output: { running: { $sum: '$qty', window: { documents: ['unbounded', 'current'] } } },
          },
        },
        { $project: { _id: 0, qty: 1, running: 1 } },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      { qty: 0, running: 0 },
      { qty: 4, running: 4 },
      { qty: 5, running: 9 },
    ]);
  });

  it('$all matches a scalar field as an equality, and with a regex', async () => {
    await insert('posts', [
      { _id: 1, title: 'Aristocats', tags: ['onex', 'twox'] },
      { _id: 2, title: 'Other', tags: ['twox'] },
    ]);
    const ids = async (filter: Document) =>
      (await coll('posts').find(filter).toArray()).map((d) => d._id as unknown);
    expect(await ids({ title: { $all: ['Aristocats'] } })).to.deep.equal([1]);
    expect(await ids({ title: { $all: [/^Arist/] } })).to.deep.equal([1]);
    expect(await ids({ tags: { $all: ['twox', 'onex'] } })).to.deep.equal([1]);
    expect(await ids({ tags: { $all: [] } })).to.deep.equal([]);
  });

  it('$pull treats its condition as a query on each element: $or, and documents with more fields', async () => {
    await insert('pulls', [
      {
        _id: 1,
        people: [
          { name: 'Axl', role: 'Singer' },
          { name: 'Slash', role: 'Guitar' },
          { name: 'Izzy', role: 'Guitar' },
        ],
        scores: [1, 5, 8],
      },
    ]);
    await coll('pulls').updateOne(byId(1), {
      $pull: { people: { $or: [{ name: 'Axl' }, { name: 'Nobody' }] }, scores: { $gte: 5 } },
    } as never);
    await coll('pulls').updateOne(byId(1), { $pull: { people: { role: 'Guitar', name: 'Izzy' } } } as never);
    expect(await coll('pulls').findOne(byId(1))).to.deep.equal({
      _id: 1,
      people: [{ name: 'Slash', role: 'Guitar' }],
      scores: [1],
    });
  });

  it('setting a field of a missing array element creates the element', async () => {
    await insert('nested', [{ _id: 1, comments: [{ body: 'a', replies: [] }] }]);
    await coll('nested').updateOne(byId(1), { $set: { 'comments.0.replies.0.at': 'now' } });
    expect((await coll('nested').findOne(byId(1)))?.comments).to.deep.equal([
      { body: 'a', replies: [{ at: 'now' }] },
    ]);
  });

  it('a projected document keeps _id first', async () => {
    await insert('projected', [{ _id: 1, arr: [{ a: 1 }, { a: 5 }], other: true }]);
    const [doc] = await coll('projected')
      .find({}, { projection: { arr: { $elemMatch: { a: { $in: [5] } } } } })
      .toArray();
    expect(Object.keys(doc!)).to.deep.equal(['_id', 'arr']);
    expect(doc!.arr).to.deep.equal([{ a: 5 }]);
  });

  it('the $elemMatch projection keeps the first matching element, with operator-only conditions too', async () => {
    await insert('elem', [{ _id: 1, ids: [1, 2, 3], other: 'x' }]);
    const [doc] = await coll('elem')
      .find({}, { projection: { ids: { $elemMatch: { $gte: 2 } } } })
      .toArray();
    expect(doc).to.deep.equal({ _id: 1, ids: [2] });
    const [none] = await coll('elem')
      .find({}, { projection: { ids: { $elemMatch: { $in: [9] } }, other: 1 } })
      .toArray();
    expect(none).to.deep.equal({ _id: 1, other: 'x' });
  });

  it('an unknown pipeline stage is refused as MongoDB names it', async () => {
    const error = await expectServerError(
      coll('orders')
        .aggregate([{ $fakeStage: {} }])
        .toArray(),
      40324,
    );
    expect(error.message).to.include("Unrecognized pipeline stage name: '$fakeStage'");
  });

  it('an update path through a scalar, or into an array by field name, fails with PathNotViable (28)', async () => {
    await insert('viable', [{ _id: 1, comments: [{ body: 'a' }], n: 5 }]);
    await expectServerError(coll('viable').updateOne(byId(1), { $set: { 'comments.body': 'x' } }), 28);
    await expectServerError(coll('viable').updateOne(byId(1), { $inc: { 'n.x': 1 } }), 28);
    expect(await coll('viable').findOne(byId(1))).to.deep.equal({ _id: 1, comments: [{ body: 'a' }], n: 5 });
  });

  describe('collation: MongoDB’s answer or a refusal, never a silently binary answer', () => {
    const caseInsensitive = { locale: 'en', strength: 2 };

    it('a unique index with a case-insensitive collation', async () => {
      const people = coll('people');
      await insert('people', [{ email: 'first@x.org' }]);
      if (usingRealMongo()) {
        await people.createIndex({ email: 1 }, { unique: true, collation: caseInsensitive });
        await people.insertOne({ email: 'Ahmad@x.org' });
        await expectServerError(people.insertOne({ email: 'ahmad@x.org' }), 11000);
        return;
      }
      const error = await expectServerError(
        people.createIndex({ email: 1 }, { unique: true, collation: caseInsensitive }),
        238,
      );
      expect(error.message)
        .to.match(NOT_SUPPORTED)
        .and.match(/collation/);
      expect(await people.indexes()).to.have.length(1);
    });

    it('find and count with a case-insensitive collation', async () => {
      await insert('names', [{ name: 'Sara' }, { name: 'sara' }]);
      if (usingRealMongo()) {
        expect(await coll('names').countDocuments({ name: 'SARA' }, { collation: caseInsensitive })).to.equal(
          2,
        );
        return;
      }
      const find = await expectServerError(
        coll('names').find({ name: 'SARA' }, { collation: caseInsensitive }).toArray(),
        238,
      );
      expect(find.message).to.match(NOT_SUPPORTED);
      await expectServerError(
        coll('names').countDocuments({ name: 'SARA' }, { collation: caseInsensitive }),
        238,
      );
      await expectServerError(
        coll('names').deleteMany({ name: 'SARA' }, { collation: caseInsensitive }),
        238,
      );
      expect(await coll('names').countDocuments()).to.equal(2);
      // The simple binary collation is what the store does anyway, so it is accepted.
      expect(
        await coll('names').countDocuments({ name: 'sara' }, { collation: { locale: 'simple' } }),
      ).to.equal(1);
    });
  });
});
