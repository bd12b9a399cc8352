/**
 * Dotted paths that go through arrays and end in (or contain) a position, as MongoDB's matcher reads
 * them: each subdocument of an array met on the way continues the path, an empty array yields no value
 * at all (so it is neither there nor null), a numeric part reads both the element at that position and
 * the field of that name in each subdocument, and an element picked by position is tested whole.
 *
 * The store once read `{'modules.lessons.0': {$exists: true}}` as true for every document whose
 * `lessons` arrays were all empty. The answers below are MongoDB 7.0's (the version the store reports)
 * and pass against a real MongoDB replica set too (MONGODB_URI=... npm test). MongoDB 9.0 changes what
 * a null equality makes of a path that yields no value (SERVER-36681: an empty array or an array of
 * scalars then matches `{'a.b': null}`), so those probes are skipped against a server from 9.0 on.
 */
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { usingRealMongo, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: dotted paths through arrays and positions', () => {
  const conf = useConformanceDb('conf_dotted_array_paths');
  const coll = (name: string) => conf.db.collection<Document>(name);
  const ns = async (name: string, filter: Document): Promise<number[]> =>
    (await coll(name).find(filter).sort({ n: 1 }).toArray()).map((d) => d.n as number);
  let nullOnEmptyIsLegacy = true;

  // The documents of the report: courses whose modules hold lessons, some of them empty.
  const modules = [
    { n: 1, modules: [{ lessons: [] }] },
    { n: 2, modules: [{ title: 'x', lessons: [] }] },
    { n: 3, modules: [{ lessons: [], _id: 5 }] },
    { n: 4, modules: [] },
    { n: 5, modules: [{ lessons: [] }], _x: 1 },
    { n: 6, modules: { lessons: [] } },
    { n: 7, modules: [{ lessons: {} }] },
  ];
  const all = [1, 2, 3, 4, 5, 6, 7];

  before(async () => {
    if (usingRealMongo()) {
      const info = await conf.db.admin().command({ buildInfo: 1 });
      nullOnEmptyIsLegacy = ((info.versionArray as number[] | undefined)?.[0] ?? 0) < 9;
    }
    await coll('modules').insertMany(modules.map((d) => ({ ...d })));
    await coll('modules_indexed').createIndex({ 'modules.lessons.0': 1 });
    await coll('modules_indexed').insertMany(modules.map((d) => ({ ...d })));
  });

  describe('a path through an array of subdocuments ending in a position (modules.lessons.0)', () => {
    for (const name of ['modules', 'modules_indexed']) {
      it(`$exists: an empty array at the position yields no value, in every document (${name})`, async () => {
        expect(await ns(name, { 'modules.lessons.0': { $exists: true } })).to.deep.equal([]);
        expect(await ns(name, { 'modules.lessons.0': { $exists: false } })).to.deep.equal(all);
        expect(await ns(name, { 'modules.lessons.0': { $not: { $exists: true } } })).to.deep.equal(all);
        expect(await ns(name, { 'modules.0': { $exists: true } })).to.deep.equal([1, 2, 3, 5, 7]);
        expect(await ns(name, { 'modules.0': { $exists: false } })).to.deep.equal([4, 6]);
      });

      it(`null equality matches only the document lacking field "0" (7), and $ne the others (${name})`, async function () {
        if (!nullOnEmptyIsLegacy) this.skip();
        expect(await ns(name, { 'modules.lessons.0': null })).to.deep.equal([7]);
        expect(await ns(name, { 'modules.lessons.0': { $eq: null } })).to.deep.equal([7]);
        expect(await ns(name, { 'modules.lessons.0': { $in: [null] } })).to.deep.equal([7]);
        expect(await ns(name, { 'modules.lessons.0': { $gte: null } })).to.deep.equal([7]);
        expect(await ns(name, { 'modules.lessons.0': { $lte: null } })).to.deep.equal([7]);
        expect(await ns(name, { 'modules.lessons.0': { $ne: null } })).to.deep.equal([1, 2, 3, 4, 5, 6]);
        expect(await ns(name, { 'modules.lessons.0': { $nin: [null] } })).to.deep.equal([1, 2, 3, 4, 5, 6]);
      });
    }

    it('$type and $size see no value at the position, and the lessons arrays where they are', async () => {
      expect(await ns('modules', { 'modules.lessons.0': { $type: 'null' } })).to.deep.equal([]);
      expect(await ns('modules', { 'modules.lessons.0': { $type: 'object' } })).to.deep.equal([]);
      expect(await ns('modules', { 'modules.lessons': { $type: 'array' } })).to.deep.equal([1, 2, 3, 5, 6]);
      expect(await ns('modules', { 'modules.lessons': { $size: 0 } })).to.deep.equal([1, 2, 3, 5, 6]);
      expect(await ns('modules', { 'modules.lessons': { $elemMatch: { $exists: true } } })).to.deep.equal([]);
      expect(await ns('modules', { modules: { $size: 0 } })).to.deep.equal([4]);
    });

    it('count, update, delete and an aggregation $match select the same documents as find', async () => {
      const filled = { 'modules.lessons.0': { $exists: true } };
      const empty = { 'modules.lessons.0': { $exists: false } };
      expect(await coll('modules').countDocuments(filled)).to.equal(0);
      expect(await coll('modules').countDocuments(empty)).to.equal(7);
      expect((await coll('modules').updateMany(filled, { $set: { seen: true } })).matchedCount).to.equal(0);
      expect((await coll('modules').deleteMany(filled)).deletedCount).to.equal(0);
      expect(await coll('modules').findOne(filled)).to.equal(null);
      const matched = await coll('modules')
        .aggregate([{ $match: empty }, { $sort: { n: 1 } }, { $project: { _id: 0, n: 1 } }])
        .toArray();
      expect(matched.map((d) => d.n as number)).to.deep.equal(all);
      expect(await coll('modules').countDocuments()).to.equal(7);
    });
  });

  describe('deeper paths: a.b.c.0', () => {
    before(async () => {
      await coll('deep').insertMany([
        { n: 1, a: { b: { c: [5] } } },
        { n: 2, a: [{ b: { c: [] } }] },
        { n: 3, a: [{ b: [{ c: [7] }] }] },
        { n: 4, a: { b: { c: { '0': 'zero' } } } },
        { n: 5, a: [{ b: { c: null } }] },
        { n: 6, a: { b: [{ c: [[8]] }] } },
        { n: 7 },
        { n: 8, a: [{ b: { c: [1, 2] } }, { b: { c: [] } }] },
      ]);
    });

    it('reach through every array on the way; "0" is a position in an array and a field in a document', async () => {
      expect(await ns('deep', { 'a.b.c.0': { $exists: true } })).to.deep.equal([1, 3, 4, 6, 8]);
      expect(await ns('deep', { 'a.b.c.0': { $exists: false } })).to.deep.equal([2, 5, 7]);
      expect(await ns('deep', { 'a.b.c.0': 5 })).to.deep.equal([1]);
      expect(await ns('deep', { 'a.b.c.0': { $in: [7, 'zero'] } })).to.deep.equal([3, 4]);
      expect(await ns('deep', { 'a.b.c.0': { $gt: 0 } })).to.deep.equal([1, 3, 8]);
      expect(await ns('deep', { 'a.b.c.0': { $ne: 5 } })).to.deep.equal([2, 3, 4, 5, 6, 7, 8]);
      expect(await ns('deep', { 'a.b.c.1': 2 })).to.deep.equal([8]);
      expect(await ns('deep', { 'a.b.c.0': { $all: [1] } })).to.deep.equal([8]);
    });

    it('test an array element picked by position whole: [[8]] at c.0 is [8], not 8', async () => {
      expect(await ns('deep', { 'a.b.c.0': 8 })).to.deep.equal([]);
      expect(await ns('deep', { 'a.b.c.0': [8] })).to.deep.equal([6]);
      expect(await ns('deep', { 'a.b.c.0': { $size: 1 } })).to.deep.equal([6]);
      expect(await ns('deep', { 'a.b.c.0': { $elemMatch: { $eq: 8 } } })).to.deep.equal([6]);
    });

    it('$type sees each value the path yields, and nothing where it yields none', async () => {
      expect(await ns('deep', { 'a.b.c.0': { $type: 'string' } })).to.deep.equal([4]);
      expect(await ns('deep', { 'a.b.c.0': { $type: 'array' } })).to.deep.equal([6]);
      expect(await ns('deep', { 'a.b.c.0': { $type: 'number' } })).to.deep.equal([1, 3, 8]);
      expect(await ns('deep', { 'a.b.c': { $type: 'array' } })).to.deep.equal([1, 2, 3, 6, 8]);
      expect(await ns('deep', { 'a.b.c.0': { $type: 'null' } })).to.deep.equal([]);
    });

    it('null equality: a missing value (a null on the way, no a) matches, an empty array does not', async function () {
      if (!nullOnEmptyIsLegacy) this.skip();
      expect(await ns('deep', { 'a.b.c.0': null })).to.deep.equal([5, 7]);
      expect(await ns('deep', { 'a.b.c.0': { $ne: null } })).to.deep.equal([1, 2, 3, 4, 6, 8]);
    });
  });

  describe('a position inside the path: a.0.b, and documents with a field named "0"', () => {
    before(async () => {
      await coll('positions').insertMany([
        { n: 1, a: [{ b: 1 }, { b: 2 }] },
        { n: 2, a: [{ '0': { b: 3 } }] },
        { n: 3, a: { '0': { b: 4 } } },
        { n: 4, a: [[{ b: 5 }]] },
        { n: 5, a: [] },
        { n: 6, a: [7, { b: 6 }] },
        { n: 7, a: [{ c: 1 }] },
      ]);
    });

    it('a.0.b reads the element at position 0 and the field "0" of every subdocument', async () => {
      expect(await ns('positions', { 'a.0.b': { $exists: true } })).to.deep.equal([1, 2, 3, 4]);
      expect(await ns('positions', { 'a.0.b': { $exists: false } })).to.deep.equal([5, 6, 7]);
      expect(await ns('positions', { 'a.0.b': 1 })).to.deep.equal([1]);
      expect(await ns('positions', { 'a.0.b': 2 })).to.deep.equal([]);
      expect(await ns('positions', { 'a.0.b': 3 })).to.deep.equal([2]);
      expect(await ns('positions', { 'a.0.b': 4 })).to.deep.equal([3]);
      expect(await ns('positions', { 'a.0.b': 5 })).to.deep.equal([4]);
      expect(await ns('positions', { 'a.0.b': 6 })).to.deep.equal([]);
      expect(await ns('positions', { 'a.0.b': { $ne: 1 } })).to.deep.equal([2, 3, 4, 5, 6, 7]);
    });

    it('a.0 and a.1 give the element at the position whole, or a subdocument’s field of that name', async () => {
      expect(await ns('positions', { 'a.0': { b: 1 } })).to.deep.equal([1]);
      expect(await ns('positions', { 'a.0': { b: 3 } })).to.deep.equal([2]);
      expect(await ns('positions', { 'a.0': { b: 4 } })).to.deep.equal([3]);
      expect(await ns('positions', { 'a.0': { b: 5 } })).to.deep.equal([]);
      expect(await ns('positions', { 'a.0': [{ b: 5 }] })).to.deep.equal([4]);
      expect(await ns('positions', { 'a.1': { b: 2 } })).to.deep.equal([1]);
      expect(await ns('positions', { 'a.1': { b: 6 } })).to.deep.equal([6]);
      expect(await ns('positions', { 'a.0': 7 })).to.deep.equal([6]);
      expect(await ns('positions', { 'a.0': { $exists: false } })).to.deep.equal([5]);
      expect(await ns('positions', { 'a.0': { $size: 1 } })).to.deep.equal([4]);
      expect(await ns('positions', { 'a.0': { $type: 'array' } })).to.deep.equal([4]);
      expect(await ns('positions', { 'a.0': { $elemMatch: { b: 5 } } })).to.deep.equal([4]);
      expect(await ns('positions', { a: { $elemMatch: { '0.b': 3 } } })).to.deep.equal([2]);
    });

    it('null equality on a.0.b: a subdocument lacking the rest of the path counts, an empty array does not', async function () {
      if (!nullOnEmptyIsLegacy) this.skip();
      expect(await ns('positions', { 'a.0.b': null })).to.deep.equal([1, 2, 6, 7]);
      expect(await ns('positions', { 'a.0.b': { $ne: null } })).to.deep.equal([3, 4, 5]);
    });
  });

  describe('arrays inside arrays, and values collected through arrays', () => {
    before(async () => {
      await coll('nested').insertMany([
        { n: 1, a: [[1]] },
        { n: 2, a: [1] },
        { n: 3, a: [{ b: 1 }] },
        { n: 4, a: [{ b: [1] }, { b: [2, 3] }] },
        { n: 5, a: [] },
      ]);
    });

    it('a path ending at an array yields its elements and itself, not the elements of nested arrays', async () => {
      expect(await ns('nested', { a: 1 })).to.deep.equal([2]);
      expect(await ns('nested', { a: [1] })).to.deep.equal([1, 2]);
      expect(await ns('nested', { a: { $gt: 0 } })).to.deep.equal([2]);
      expect(await ns('nested', { a: { $type: 'array' } })).to.deep.equal([1, 2, 3, 4, 5]);
    });

    it('the values collected through an array of subdocuments are not an array of their own', async () => {
      expect(await ns('nested', { 'a.b': { $type: 'array' } })).to.deep.equal([4]);
      expect(await ns('nested', { 'a.b': { $size: 1 } })).to.deep.equal([4]);
      expect(await ns('nested', { 'a.b': { $size: 2 } })).to.deep.equal([4]);
      expect(await ns('nested', { 'a.b': { $size: 0 } })).to.deep.equal([]);
      expect(await ns('nested', { 'a.b': { $elemMatch: { $gt: 2 } } })).to.deep.equal([4]);
      expect(await ns('nested', { 'a.b': { $all: [1, 3] } })).to.deep.equal([4]);
      expect(await ns('nested', { 'a.b': 1 })).to.deep.equal([3, 4]);
    });
  });
});
