import { expect } from 'chai';
import { ObjectId } from 'bson';
import { tempEngine } from '../support/temp-engine.js';
import { queryPlan } from '../support/query-plan.js';

describe('engine: basic CRUD', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
  });
  afterEach(() => t.cleanup());

  it('creates, lists and drops collections', () => {
    t.engine.createCollection('app', 'users');
    expect(t.engine.listCollections('app').map((c) => c.name)).to.deep.equal(['users']);
    expect(() => t.engine.createCollection('app', 'users'))
      .to.throw()
      .with.property('code', 48);
    expect(t.engine.dropCollection('app', 'users')).to.equal(true);
    expect(t.engine.dropCollection('app', 'users')).to.equal(false);
    expect(t.engine.listCollections('app')).to.deep.equal([]);
  });

  it('inserts with generated ObjectIds and finds with filter, sort, skip, limit and projection', () => {
    const r = t.engine.insert(
      'app',
      'c',
      [{ n: 3, s: 'c' }, { n: 1, s: 'a' }, { n: 2, s: 'b' }, { n: 4 }],
      true,
    );
    expect(r).to.deep.equal({ n: 4, writeErrors: [] });
    const all = t.engine.find('app', 'c', {});
    expect(all).to.have.length(4);
    expect(all[0]!._id).to.be.instanceOf(ObjectId);
    const found = t.engine.find('app', 'c', {
      filter: { n: { $gte: 2 } },
      sort: { n: -1 },
      skip: 1,
      limit: 2,
      projection: { _id: 0, n: 1 },
    });
    expect(found).to.deep.equal([{ n: 3 }, { n: 2 }]);
  });

  it('a condition object whose keys are names every object inherits (constructor, toString) is equality, not a match-all', () => {
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 1, a: 5 },
        { _id: 2, a: { constructor: 1 } },
      ],
      true,
    );
    const ids = (filter: object) => t.engine.find('d', 'c', { filter }).map((d) => d._id as number);
    expect(ids({ a: { constructor: 1 } })).to.deep.equal([2]);
    expect(ids({ a: { toString: 1 } })).to.deep.equal([]);
  });

  it('applies update operators, counts modified documents and upserts', () => {
    t.engine.insert(
      'app',
      'c',
      [
        { _id: 1, a: 1, tags: ['x'] },
        { _id: 2, a: 5 },
      ],
      true,
    );
    const r = t.engine.update(
      'app',
      'c',
      [{ q: { _id: 1 }, u: { $inc: { a: 2 }, $push: { tags: 'y' } } }],
      true,
    );
    expect(r).to.include({ n: 1, nModified: 1 });
    expect(t.engine.find('app', 'c', { filter: { _id: 1 } })[0]).to.deep.equal({
      _id: 1,
      a: 3,
      tags: ['x', 'y'],
    });
    const same = t.engine.update('app', 'c', [{ q: { _id: 2 }, u: { $set: { a: 5 } } }], true);
    expect(same).to.include({ n: 1, nModified: 0 });
    const multi = t.engine.update('app', 'c', [{ q: {}, u: { $set: { z: true } }, multi: true }], true);
    expect(multi).to.include({ n: 2, nModified: 2 });
    const up = t.engine.update(
      'app',
      'c',
      [{ q: { _id: 9, 'p.q': 'v' }, u: { $set: { b: 1 }, $setOnInsert: { created: true } }, upsert: true }],
      true,
    );
    expect(up.upserted).to.deep.equal([{ index: 0, _id: 9 }]);
    expect(t.engine.find('app', 'c', { filter: { _id: 9 } })[0]).to.deep.equal({
      _id: 9,
      p: { q: 'v' },
      b: 1,
      created: true,
    });
  });

  it('deletes one or all matching documents', () => {
    t.engine.insert('app', 'c', [{ a: 1 }, { a: 1 }, { a: 2 }], true);
    expect(t.engine.delete('app', 'c', [{ q: { a: 1 }, limit: 1 }], true).n).to.equal(1);
    expect(t.engine.count('app', 'c')).to.equal(2);
    expect(t.engine.delete('app', 'c', [{ q: {}, limit: 0 }], true).n).to.equal(2);
    expect(t.engine.count('app', 'c')).to.equal(0);
  });

  it('keeps data and indexes across close and reopen', async () => {
    t.engine.createIndexes('app', 'c', [{ key: { email: 1 }, name: 'email_1', unique: true }]);
    t.engine.insert(
      'app',
      'c',
      [
        { _id: 1, email: 'a@x' },
        { _id: 2, email: 'b@x' },
      ],
      true,
    );
    t.engine.update('app', 'c', [{ q: { _id: 2 }, u: { $set: { email: 'c@x' } } }], true);
    await t.engine.whenDurable();
    const e = t.reopen();
    expect(e.find('app', 'c', { sort: { _id: 1 } })).to.deep.equal([
      { _id: 1, email: 'a@x' },
      { _id: 2, email: 'c@x' },
    ]);
    expect(e.listIndexes('app', 'c').map((i) => i.name)).to.deep.equal(['_id_', 'email_1']);
    const dup = e.insert('app', 'c', [{ email: 'a@x' }], true);
    expect(dup.writeErrors[0]).to.include({ code: 11000 });
  });

  it('refuses a document too large to store on its own, and later writes stay durable', async () => {
    const big = 'x'.repeat(17 * 1024 * 1024);
    const r = t.engine.insert('app', 'c', [{ _id: 1 }, { _id: 2, big }, { _id: 3 }], false);
    expect(r.n).to.equal(2);
    expect(r.writeErrors.map((e) => [e.index, e.code])).to.deep.equal([[1, 10334]]);
    await t.engine.whenDurable();
    expect(
      t
        .reopen()
        .find('app', 'c', {})
        .map((d) => d._id as unknown),
    ).to.deep.equal([1, 3]);
  });

  it('projects with positional $, $elemMatch and $slice, and sorts by $natural', () => {
    t.engine.insert(
      'app',
      'c',
      [{ _id: 1, items: [{ k: 'a' }, { k: 'b' }], list: [1, 2, 3] }, { _id: 2 }],
      true,
    );
    expect(
      t.engine.find('app', 'c', { filter: { 'items.k': 'b' }, projection: { 'items.$': 1 } }),
    ).to.deep.equal([{ _id: 1, items: [{ k: 'b' }] }]);
    expect(
      t.engine.find('app', 'c', { filter: { _id: 1 }, projection: { items: { $elemMatch: { k: 'a' } } } }),
    ).to.deep.equal([{ _id: 1, items: [{ k: 'a' }] }]);
    expect(
      t.engine.find('app', 'c', { filter: { _id: 1 }, projection: { list: { $slice: -1 } } }),
    ).to.deep.equal([{ _id: 1, items: [{ k: 'a' }, { k: 'b' }], list: [3] }]);
    expect(t.engine.find('app', 'c', { sort: { $natural: -1 } }).map((d) => d._id as unknown)).to.deep.equal([
      2, 1,
    ]);
  });

  // MongoDB's null_query_semantics: an array element lacking the rest of a dotted path counts as null,
  // but empty arrays, arrays of scalars and nested arrays do not.
  it("matches {'a.b': null} on array elements lacking b, with and without an index on a.b", () => {
    const docs = [
      { _id: 'object_array_some_b_missing', a: [{ b: 3 }, {}] },
      { _id: 'object_array_no_b_nulls', a: [{ b: 1 }, { b: 'x' }] },
      { _id: 'subobject_no_b', a: { c: 1 } },
      { _id: 'no_a' },
      { _id: 'empty_array', a: [] },
      { _id: 'value_array', a: [1, 2] },
      { _id: 'object_array_b_null', a: [{ b: null }] },
      { _id: 'double_array', a: [[{ c: 1 }]] },
      { _id: 'number', a: 4 },
      { _id: 'deeper', a: [{ b: [{ c: 1 }] }, { b: 5 }] },
    ];
    const nullMatches = [
      'object_array_some_b_missing',
      'subobject_no_b',
      'no_a',
      'object_array_b_null',
      'number',
    ].sort();
    const others = docs
      .map((d) => d._id)
      .filter((id) => !nullMatches.includes(id))
      .sort();
    t.engine.insert('d', 'plain', docs, true);
    t.engine.insert('d', 'indexed', docs, true);
    t.engine.createIndexes('d', 'indexed', [{ key: { 'a.b': 1 }, name: 'a.b_1' }]);
    for (const coll of ['plain', 'indexed']) {
      const ids = (filter: Record<string, unknown>): unknown[] =>
        t.engine.find('d', coll, { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
      expect(ids({ 'a.b': null }), coll).to.deep.equal(nullMatches);
      expect(ids({ 'a.b': { $eq: null } }), coll).to.deep.equal(nullMatches);
      expect(ids({ 'a.b': { $in: [null, 75] } }), coll).to.deep.equal(nullMatches);
      expect(ids({ 'a.b': { $ne: null } }), coll).to.deep.equal(others);
      expect(ids({ 'a.b': { $nin: [null] } }), coll).to.deep.equal(others);
      // Through mingo (not the simple-filter path) the answer is the same.
      expect(ids({ $or: [{ 'a.b': null }] }), coll).to.deep.equal(nullMatches);
      expect(ids({ 'a.b.c': null }), coll).to.include('deeper');
    }
    expect(queryPlan(t.engine, 'd', 'indexed', { 'a.b': null }).index).to.equal('a.b_1');
  });
});
