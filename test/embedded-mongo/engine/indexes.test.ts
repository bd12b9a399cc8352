import { expect } from 'chai';
import { Long, ObjectId } from 'bson';
import type { Transaction } from '../../../src/embedded-mongo/engine/engine-api.js';
import { tempEngine } from '../support/temp-engine.js';
import { queryPlan } from '../support/query-plan.js';

describe('engine: indexes', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
  });
  afterEach(() => t.cleanup());

  it('reports duplicate keys in MongoDB shape and message', () => {
    const oid = new ObjectId('65a1b2c3d4e5f60718293a4b');
    t.engine.createIndexes('lms', 'users', [{ key: { email: 1 }, name: 'email_1', unique: true }]);
    t.engine.insert('lms', 'users', [{ _id: oid, email: 'a@x.org' }], true);
    const r = t.engine.insert('lms', 'users', [{ email: 'a@x.org' }], true);
    expect(r.n).to.equal(0);
    expect(r.writeErrors).to.deep.equal([
      {
        index: 0,
        code: 11000,
        errmsg:
          'E11000 duplicate key error collection: lms.users index: email_1 dup key: { email: "a@x.org" }',
        keyPattern: { email: 1 },
        keyValue: { email: 'a@x.org' },
      },
    ]);
    const byId = t.engine.insert('lms', 'users', [{ _id: oid }], true);
    expect(byId.writeErrors[0]!.errmsg).to.equal(
      "E11000 duplicate key error collection: lms.users index: _id_ dup key: { _id: ObjectId('65a1b2c3d4e5f60718293a4b') }",
    );
  });

  it('stops an ordered batch at the first error and continues an unordered one', () => {
    t.engine.insert('d', 'c', [{ _id: 1 }], true);
    const ordered = t.engine.insert('d', 'c', [{ _id: 2 }, { _id: 1 }, { _id: 3 }], true);
    expect(ordered.n).to.equal(1);
    expect(ordered.writeErrors.map((e) => e.index)).to.deep.equal([1]);
    const unordered = t.engine.insert('d', 'c', [{ _id: 4 }, { _id: 1 }, { _id: 5 }], false);
    expect(unordered.n).to.equal(2);
    expect(t.engine.count('d', 'c')).to.equal(4);
  });

  it('leaves data and every index unchanged when an update hits a duplicate key', () => {
    t.engine.createIndexes('d', 'c', [
      { key: { a: 1 }, name: 'a_1' },
      { key: { u: 1 }, name: 'u_1', unique: true },
    ]);
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 1, a: 1, u: 'x' },
        { _id: 2, a: 2, u: 'y' },
      ],
      true,
    );
    const r = t.engine.update('d', 'c', [{ q: { _id: 2 }, u: { $set: { a: 99, u: 'x' } } }], true);
    expect(r.writeErrors[0]).to.include({ code: 11000 });
    expect(t.engine.find('d', 'c', { filter: { a: 99 } })).to.have.length(0);
    expect(t.engine.find('d', 'c', { filter: { a: 2 } }).map((d) => d._id as unknown)).to.deep.equal([2]);
    expect(t.engine.find('d', 'c', { filter: { u: 'y' } }).map((d) => d._id as unknown)).to.deep.equal([2]);
  });

  it('enforces compound unique indexes on the combination only', () => {
    t.engine.createIndexes('d', 'c', [
      { key: { user: 1, course: 1 }, name: 'user_1_course_1', unique: true },
    ]);
    const r = t.engine.insert(
      'd',
      'c',
      [
        { user: 1, course: 1 },
        { user: 1, course: 2 },
        { user: 1, course: 1 },
      ],
      false,
    );
    expect(r.n).to.equal(2);
    expect(r.writeErrors[0]).to.deep.include({
      index: 2,
      keyPattern: { user: 1, course: 1 },
      keyValue: { user: 1, course: 1 },
      errmsg:
        'E11000 duplicate key error collection: d.c index: user_1_course_1 dup key: { user: 1, course: 1 }',
    });
  });

  it('indexes missing fields as null, so they collide unless the index is sparse or partial', () => {
    t.engine.createIndexes('d', 'plain', [{ key: { code: 1 }, name: 'code_1', unique: true }]);
    expect(t.engine.insert('d', 'plain', [{}, {}], true).writeErrors[0]).to.deep.include({
      keyValue: { code: null },
    });

    t.engine.createIndexes('d', 'sparse', [{ key: { code: 1 }, name: 'code_1', unique: true, sparse: true }]);
    expect(t.engine.insert('d', 'sparse', [{}, {}, { code: 'a' }], true).n).to.equal(3);
    expect(t.engine.insert('d', 'sparse', [{ code: 'a' }], true).writeErrors).to.have.length(1);

    t.engine.createIndexes('d', 'partial', [
      {
        key: { code: 1 },
        name: 'code_1',
        unique: true,
        partialFilterExpression: { code: { $type: 'string' } },
      },
    ]);
    expect(
      t.engine.insert('d', 'partial', [{}, { code: null }, { code: 5 }, { code: 5 }, { code: 'a' }], true).n,
    ).to.equal(5);
    expect(t.engine.insert('d', 'partial', [{ code: 'a' }], true).writeErrors).to.have.length(1);
  });

  it('treats numerically equal keys of different types as duplicates', () => {
    t.engine.createIndexes('d', 'c', [{ key: { n: 1 }, name: 'n_1', unique: true }]);
    t.engine.insert('d', 'c', [{ n: 1 }], true);
    expect(t.engine.insert('d', 'c', [{ n: Long.fromNumber(1) }], true).writeErrors).to.have.length(1);
    expect(
      t.engine.insert('d', 'c', [{ _id: 5 }, { _id: Long.fromNumber(5) }], false).writeErrors,
    ).to.have.length(1);
  });

  it('indexes each array element (multikey), unique across documents', () => {
    t.engine.createIndexes('d', 'c', [{ key: { tags: 1 }, name: 'tags_1', unique: true }]);
    expect(t.engine.insert('d', 'c', [{ tags: ['a', 'b', 'a'] }], true).n).to.equal(1);
    const r = t.engine.insert('d', 'c', [{ tags: ['c', 'b'] }], true);
    expect(r.writeErrors[0]).to.deep.include({ keyValue: { tags: 'b' } });
    expect(t.engine.find('d', 'c', { filter: { tags: 'a' } })).to.have.length(1);
  });

  it('refuses to build a unique index over existing duplicates and leaves no index behind', () => {
    t.engine.insert('d', 'c', [{ a: 1 }, { a: 1 }], true);
    expect(() => t.engine.createIndexes('d', 'c', [{ key: { a: 1 }, name: 'a_1', unique: true }]))
      .to.throw()
      .with.property('code', 11000);
    expect(t.engine.listIndexes('d', 'c').map((i) => i.name)).to.deep.equal(['_id_']);
  });

  it('treats the same index twice as a no-op and conflicting specs as errors 85/86', () => {
    const first = t.engine.createIndexes('d', 'c', [{ key: { a: 1 }, name: 'a_1' }]);
    expect(first).to.deep.equal({
      numIndexesBefore: 1,
      numIndexesAfter: 2,
      createdCollectionAutomatically: true,
    });
    const again = t.engine.createIndexes('d', 'c', [{ key: { a: 1 }, name: 'a_1' }]);
    expect(again).to.deep.include({ numIndexesBefore: 2, numIndexesAfter: 2 });
    expect(() => t.engine.createIndexes('d', 'c', [{ key: { b: 1 }, name: 'a_1' }]))
      .to.throw()
      .with.property('code', 86);
    expect(() => t.engine.createIndexes('d', 'c', [{ key: { a: 1 }, name: 'a_1', unique: true }]))
      .to.throw()
      .with.property('code', 85);
    expect(t.engine.dropIndexes('d', 'c', 'a_1')).to.deep.equal({ nIndexesWas: 2 });
    expect(() => t.engine.dropIndexes('d', 'c', 'a_1'))
      .to.throw()
      .with.property('code', 27);
  });

  it('answers equality, $in and range queries from an index without scanning the collection', () => {
    t.engine.createIndexes('d', 'c', [
      { key: { n: 1 }, name: 'n_1' },
      { key: { g: 1, n: -1 }, name: 'g_1_n_-1' },
    ]);
    const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: i, n: i, g: i % 10, s: `s${i}` }));
    t.engine.insert('d', 'c', docs, true);

    const eq = queryPlan(t.engine, 'd', 'c', { n: 500 });
    expect(eq).to.deep.equal({ index: 'n_1', docsExamined: 1, nReturned: 1 });
    const inList = queryPlan(t.engine, 'd', 'c', { n: { $in: [1, 2, 3] } });
    expect(inList).to.deep.equal({ index: 'n_1', docsExamined: 3, nReturned: 3 });
    const range = queryPlan(t.engine, 'd', 'c', { n: { $gte: 10, $lt: 20 }, s: { $ne: 's15' } });
    expect(range.index).to.equal('n_1');
    expect(range.docsExamined).to.be.at.most(11);
    expect(range.nReturned).to.equal(9);
    const open = queryPlan(t.engine, 'd', 'c', { $and: [{ n: { $gt: 995 } }] });
    expect(open).to.deep.equal({ index: 'n_1', docsExamined: 4, nReturned: 4 });
    const compound = queryPlan(t.engine, 'd', 'c', { g: 3 });
    expect(compound).to.deep.equal({ index: 'g_1_n_-1', docsExamined: 100, nReturned: 100 });
    // Equality on both fields of the compound index looks up those keys only, as MongoDB's bounds do.
    const pinned = queryPlan(t.engine, 'd', 'c', { g: 3, n: { $in: [33, 43, 44] } });
    expect(pinned).to.deep.equal({ index: 'g_1_n_-1', docsExamined: 2, nReturned: 2 });
    const sameNumber = queryPlan(t.engine, 'd', 'c', { g: Long.fromNumber(3), n: 33.0 });
    expect(sameNumber).to.deep.equal({ index: 'g_1_n_-1', docsExamined: 1, nReturned: 1 });
    // An empty $in pins nothing: it matches no document, through whichever index.
    const none = queryPlan(t.engine, 'd', 'c', { g: { $in: [] }, n: 33 });
    expect(none.nReturned).to.equal(0);
    expect(none.docsExamined).to.be.at.most(1);
    expect(queryPlan(t.engine, 'd', 'c', { g: { $in: [] } })).to.deep.equal({
      index: 'g_1_n_-1',
      docsExamined: 0,
      nReturned: 0,
    });
    const byId = queryPlan(t.engine, 'd', 'c', { _id: Long.fromNumber(7) });
    expect(byId).to.deep.equal({ index: '_id_', docsExamined: 1, nReturned: 1 });
    const scan = queryPlan(t.engine, 'd', 'c', { s: 's1' });
    expect(scan).to.deep.equal({ index: null, docsExamined: 1000, nReturned: 1 });
  });

  it('an unsorted limited find stops scanning once it has enough matches', () => {
    t.engine.insert(
      'd',
      'c',
      Array.from({ length: 1000 }, (_, i) => ({ _id: i, n: i % 20 })),
      true,
    );
    expect(queryPlan(t.engine, 'd', 'c', { n: 3 }, 1)).to.deep.equal({
      index: null,
      docsExamined: 4,
      nReturned: 1,
    });
    expect(queryPlan(t.engine, 'd', 'c', { n: { $lt: 2 } }, 5).docsExamined).to.equal(41);
    expect(t.engine.find('d', 'c', { filter: { n: 3 }, limit: 2 }).map((d) => d._id as number)).to.deep.equal(
      [3, 23],
    );
    expect(
      t.engine.find('d', 'c', { filter: { n: 3 }, skip: 1, limit: 2 }).map((d) => d._id as number),
    ).to.deep.equal([23, 43]);
  });

  it('answers _id ranges from the ordered _id index, kept current through writes and transactions', async () => {
    const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: i, n: i }));
    t.engine.insert('d', 'c', docs, true);
    const range = queryPlan(t.engine, 'd', 'c', { _id: { $gte: 10, $lt: 20 } });
    expect(range).to.deep.equal({ index: '_id_', docsExamined: 10, nReturned: 10 });
    expect(queryPlan(t.engine, 'd', 'c', { _id: { $gt: 995 } })).to.deep.equal({
      index: '_id_',
      docsExamined: 4,
      nReturned: 4,
    });
    expect(queryPlan(t.engine, 'd', 'c', { _id: { $lte: 2 } }).docsExamined).to.equal(3);
    // Equality keeps its direct lookup.
    expect(queryPlan(t.engine, 'd', 'c', { _id: 500 })).to.deep.equal({
      index: '_id_',
      docsExamined: 1,
      nReturned: 1,
    });

    // Once built, the tree follows inserts, deletes, and a transaction's view and commit.
    t.engine.insert('d', 'c', [{ _id: 1000.5 }, { _id: 'a string sorts after numbers' }], true);
    t.engine.delete('d', 'c', [{ q: { _id: 998 }, limit: 1 }], true);
    const ids = (filter: Record<string, unknown>, txn?: Transaction): unknown[] =>
      t.engine.find('d', 'c', { filter, sort: { _id: 1 } }, txn).map((d) => d._id as unknown);
    expect(ids({ _id: { $gt: 996 } })).to.deep.equal([997, 999, 1000.5]);
    const aborted = t.engine.beginTransaction();
    t.engine.delete('d', 'c', [{ q: { _id: 997 }, limit: 1 }], true, aborted);
    t.engine.insert('d', 'c', [{ _id: 2000 }], true, aborted);
    expect(ids({ _id: { $gt: 996 } }, aborted)).to.deep.equal([999, 1000.5, 2000]);
    expect(ids({ _id: { $gt: 996 } })).to.deep.equal([997, 999, 1000.5]);
    t.engine.abortTransaction(aborted);
    expect(ids({ _id: { $gt: 996 } })).to.deep.equal([997, 999, 1000.5]);
    const committed = t.engine.beginTransaction();
    t.engine.insert('d', 'c', [{ _id: 1500 }], true, committed);
    await t.engine.commitTransaction(committed);
    expect(ids({ _id: { $gt: 996 } })).to.deep.equal([997, 999, 1000.5, 1500]);
    t.engine.delete('d', 'c', [{ q: { _id: 1500 }, limit: 1 }], true);
    expect(ids({ _id: { $gte: 'a' } })).to.deep.equal(['a string sorts after numbers']);
    await t.engine.whenDurable();

    // A sorted, limited find on _id walks the tree from either end.
    const first = t.engine.find('d', 'c', { filter: { n: { $exists: true } }, sort: { _id: -1 }, limit: 2 });
    expect(first.map((d) => d._id as unknown)).to.deep.equal([999, 997]);
  });

  it('gives the same _id range answers through the index as a full scan, across types', () => {
    const ids: unknown[] = [0, 1, 2.5, Long.fromNumber(3), 'a', 'b', new ObjectId(), new Date(5), true, null];
    t.engine.insert(
      'd',
      'c',
      ids.map((_id) => ({ _id })),
      true,
    );
    const bounds: unknown[] = [1, 2.5, Long.fromNumber(3), 'a', new Date(5), null, true];
    for (const op of ['$gt', '$gte', '$lt', '$lte']) {
      for (const v of bounds) {
        const cond = { [op]: v };
        const viaIndex = t.engine.find('d', 'c', { filter: { _id: cond }, sort: { _id: 1 } });
        // $or hides the condition from the planner, forcing a scan.
        const viaScan = t.engine.find('d', 'c', { filter: { $or: [{ _id: cond }] }, sort: { _id: 1 } });
        expect(viaIndex, `${op} ${String(v)}`).to.deep.equal(viaScan);
      }
    }
    expect(queryPlan(t.engine, 'd', 'c', { _id: { $gte: 'a' } }).index).to.equal('_id_');
  });

  it('gives the same results with and without an index for cross-type ranges', () => {
    const docs = [1, 2.5, 'a', null, [3, 40], new Date(5), Long.fromNumber(30)].map((v, i) => ({
      _id: i,
      v,
    }));
    t.engine.insert('d', 'plain', docs, true);
    t.engine.insert('d', 'indexed', docs, true);
    t.engine.createIndexes('d', 'indexed', [{ key: { v: 1 }, name: 'v_1' }]);
    for (const filter of [
      { v: { $gt: 2 } },
      { v: { $lte: 30 } },
      { v: null },
      { v: { $in: [40, 'a'] } },
      { v: { $gte: 'a' } },
    ]) {
      const a = t.engine.find('d', 'plain', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
      const b = t.engine.find('d', 'indexed', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
      expect(b, JSON.stringify(filter)).to.deep.equal(a);
    }
  });

  it('expires documents through a TTL index', () => {
    t.engine.createIndexes('d', 's', [{ key: { expires: 1 }, name: 'expires_1', expireAfterSeconds: 0 }]);
    t.engine.createIndexes('d', 'l', [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 3600 }]);
    const now = new Date('2026-01-01T12:00:00Z');
    t.engine.insert(
      'd',
      's',
      [
        { _id: 'old', expires: new Date('2026-01-01T11:59:00Z') },
        { _id: 'new', expires: new Date('2026-01-01T12:01:00Z') },
        { _id: 'none' },
        { _id: 'str', expires: 'x' },
      ],
      true,
    );
    t.engine.insert(
      'd',
      'l',
      [
        { _id: 'old', at: new Date('2026-01-01T10:00:00Z') },
        { _id: 'recent', at: new Date('2026-01-01T11:30:00Z') },
      ],
      true,
    );
    expect(t.engine.expireTtl(now)).to.equal(2);
    expect(t.engine.find('d', 's', {}).map((d) => d._id as unknown)).to.deep.equal(['new', 'none', 'str']);
    expect(t.engine.find('d', 'l', {}).map((d) => d._id as unknown)).to.deep.equal(['recent']);
  });

  it('sorted, limited finds give the same pages with and without an index on the sort field', () => {
    const values: unknown[] = [5, [1, 9], null, 'b', undefined, [3], 7, Long.fromNumber(2), 'a', [0, 20]];
    const docs = values.map((v, i) => (v === undefined ? { _id: i, k: i % 2 } : { _id: i, v, k: i % 2 }));
    t.engine.insert('d', 'plain', docs, true);
    t.engine.insert('d', 'indexed', docs, true);
    t.engine.createIndexes('d', 'indexed', [{ key: { v: 1 }, name: 'v_1' }]);
    for (const dir of [1, -1] as const) {
      for (const filter of [{}, { k: 1 }]) {
        for (const [skip, limit] of [
          [0, 3],
          [2, 4],
          [0, 20],
        ]) {
          const opts = { filter, sort: { v: dir }, skip, limit };
          const a = t.engine.find('d', 'plain', opts).map((d) => d._id as unknown);
          const b = t.engine.find('d', 'indexed', opts).map((d) => d._id as unknown);
          expect(b, JSON.stringify(opts)).to.deep.equal(a);
        }
      }
    }
  });

  it('accepts a hint naming an existing index and refuses one that names none', () => {
    t.engine.createIndexes('d', 'c', [{ key: { a: 1 }, name: 'a_1' }]);
    t.engine.insert('d', 'c', [{ a: 1 }], true);
    expect(t.engine.find('d', 'c', { filter: { a: 1 }, hint: 'a_1' })).to.have.length(1);
    expect(t.engine.find('d', 'c', { filter: { a: 1 }, hint: { a: 1 } })).to.have.length(1);
    expect(() => t.engine.find('d', 'c', { hint: 'b_1' }))
      .to.throw(/hint provided does not correspond to an existing index/)
      .with.property('code', 2);
  });
});
