import { expect } from 'chai';
import { Binary, Long } from 'bson';
import { tempEngine } from '../support/temp-engine.js';

describe('engine: aggregation', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
  });
  afterEach(() => t.cleanup());

  it('never changes stored documents, even with nested $addFields, $set, $unwind and $project', () => {
    t.engine.insert('d', 'c', [{ _id: 1, a: { b: 1 }, list: [1, 2] }], true);
    const out = t.engine.aggregate('d', 'c', [
      { $addFields: { 'a.c': 2 } },
      { $set: { 'a.b': 99 } },
      { $unwind: '$list' },
      { $project: { a: 1, list: 1 } },
    ]);
    expect(out).to.have.length(2);
    expect(out[0]).to.deep.equal({ _id: 1, a: { b: 99, c: 2 }, list: 1 });
    expect(t.engine.find('d', 'c', {})).to.deep.equal([{ _id: 1, a: { b: 1 }, list: [1, 2] }]);
  });

  it('joins another collection of the same database with $lookup', () => {
    t.engine.insert('d', 'courses', [{ _id: 'c1', title: 'TIP law' }], true);
    t.engine.insert('d', 'enrolments', [{ _id: 1, course: 'c1' }], true);
    const out = t.engine.aggregate('d', 'enrolments', [
      { $lookup: { from: 'courses', localField: 'course', foreignField: '_id', as: 'c' } },
    ]);
    expect(out).to.deep.equal([{ _id: 1, course: 'c1', c: [{ _id: 'c1', title: 'TIP law' }] }]);
    (out[0]!.c as { title: string }[])[0]!.title = 'changed';
    expect(t.engine.find('d', 'courses', {})[0]!.title).to.equal('TIP law');
  });

  it('groups, sorts and counts; a leading $match uses an index', () => {
    t.engine.createIndexes('d', 'c', [{ key: { g: 1 }, name: 'g_1' }]);
    t.engine.insert(
      'd',
      'c',
      Array.from({ length: 100 }, (_, i) => ({ g: i % 4, v: i })),
      true,
    );
    const out = t.engine.aggregate('d', 'c', [
      { $match: { g: { $in: [1, 2] } } },
      { $group: { _id: '$g', n: { $sum: 1 }, total: { $sum: '$v' } } },
      { $sort: { _id: -1 } },
    ]);
    expect(out).to.deep.equal([
      { _id: 2, n: 25, total: 1250 },
      { _id: 1, n: 25, total: 1225 },
    ]);
    expect(t.engine.aggregate('d', 'c', [{ $match: { v: { $lt: 10 } } }, { $count: 'n' }])).to.deep.equal([
      { n: 10 },
    ]);
  });

  it('rejects $out and $merge, which would write outside the engine', () => {
    expect(() => t.engine.aggregate('d', 'c', [{ $out: 'x' }])).to.throw(/not supported/);
  });

  it('compares values of different types in expressions in MongoDB order', () => {
    t.engine.insert('d', 'c', [{ _id: 1, n: 5, l: Long.fromNumber(5) }], true);
    const [row] = t.engine.aggregate('d', 'c', [
      {
        $project: {
          _id: 0,
          numStr: { $cmp: [42, 'abc'] },
          objArr: { $cmp: [{ a: 1 }, [1]] },
          arrBin: { $cmp: [[1], { $literal: new Binary(Buffer.from([1])) }] },
          boolDate: { $lt: [false, new Date(0)] },
          longEq: { $eq: ['$n', '$l'] },
          missingNull: { $eq: ['$missing', null] },
        },
      },
    ]);
    expect(row).to.deep.equal({
      numStr: -1,
      objArr: -1,
      arrBin: -1,
      boolDate: true,
      longEq: true,
      missingNull: false,
    });
  });

  it('$max and $min in $group follow MongoDB order across types and skip missing values', () => {
    t.engine.insert('d', 'c', [{ v: 3 }, { v: Long.fromNumber(10) }, { v: 'a' }, { v: null }, {}], true);
    const [row] = t.engine.aggregate('d', 'c', [
      { $group: { _id: null, max: { $max: '$v' }, min: { $min: '$v' } } },
    ]);
    expect(row!.max).to.equal('a');
    expect(row!.min).to.equal(3);
  });
});
