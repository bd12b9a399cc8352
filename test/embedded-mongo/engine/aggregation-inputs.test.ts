import { expect } from 'chai';
import { BSONRegExp, Double } from 'bson';
import { tempEngine } from '../support/temp-engine.js';

/**
 * mingo computes with JavaScript values only: every document it is given must hold plain numbers
 * and RegExps, whatever state the collection is in and however it is read.
 */
describe('engine: what aggregation hands mingo', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
    t.engine.insert('d', 'c', [{ _id: 1, v: 1 }], true);
  });
  afterEach(() => t.cleanup());

  const doubled = () =>
    t.engine
      .aggregate('d', 'c', [{ $project: { w: { $multiply: ['$v', 2] } } }, { $sort: { _id: 1 } }])
      .map((d) => d.w as unknown);

  it('sees a Double written after an earlier aggregation over the same collection, by insert or update', () => {
    expect(doubled()).to.deep.equal([2]);
    t.engine.insert('d', 'c', [{ _id: 2, v: new Double(3) }], true);
    expect(doubled()).to.deep.equal([2, 6]);
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { v: new Double(5) } } }], true);
    expect(doubled()).to.deep.equal([10, 6]);
    t.engine.delete('d', 'c', [{ q: { _id: 2 }, limit: 1 }], true);
    expect(doubled()).to.deep.equal([10]);
  });

  it('gives plain values inside a transaction and from a $lookup’s foreign collection', () => {
    t.engine.insert('d', 'prices', [{ _id: 1, p: new Double(4) }], true);
    const txn = t.engine.beginTransaction();
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { v: new Double(7) } } }], true, txn);
    const [row] = t.engine.aggregate(
      'd',
      'c',
      [
        { $lookup: { from: 'prices', localField: '_id', foreignField: '_id', as: 'price' } },
        { $project: { total: { $multiply: ['$v', { $first: '$price.p' }] } } },
      ],
      {},
      txn,
    );
    expect(row?.total).to.equal(28);
    t.engine.abortTransaction(txn);
  });

  it('matches a stored BSON regex value as a value, and evaluates $regexMatch on plain strings', () => {
    t.engine.insert('d', 'c', [{ _id: 3, name: 'Bibi', re: new BSONRegExp('^b', 'i') }], true);
    const [row] = t.engine.aggregate('d', 'c', [
      { $match: { re: { $type: 'regex' } } },
      { $project: { hit: { $regexMatch: { input: '$name', regex: '$re' } } } },
    ]);
    expect(row).to.deep.equal({ _id: 3, hit: true });
  });

  it('leaves the stored documents as they were, Doubles included', () => {
    t.engine.insert('d', 'c', [{ _id: 2, v: new Double(3) }], true);
    doubled();
    expect(t.engine.find('d', 'c', { filter: { _id: 2 } })[0]?.v).to.be.instanceOf(Double);
  });
});
