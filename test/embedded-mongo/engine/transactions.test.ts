import { expect } from 'chai';
import { tempEngine } from '../support/temp-engine.js';
import { queryPlan } from '../support/query-plan.js';

describe('engine: transactions', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
  });
  afterEach(() => t.cleanup());

  it('abort restores documents and indexes exactly', async () => {
    t.engine.createIndexes('d', 'c', [{ key: { email: 1 }, name: 'email_1', unique: true }]);
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 1, email: 'a', n: 1 },
        { _id: 2, email: 'b', n: 2 },
      ],
      true,
    );
    await t.engine.whenDurable();
    const before = t.engine.find('d', 'c', {});

    const txn = t.engine.beginTransaction();
    t.engine.insert('d', 'c', [{ _id: 3, email: 'c' }], true, txn);
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { email: 'z' }, $inc: { n: 10 } } }], true, txn);
    t.engine.delete('d', 'c', [{ q: { _id: 2 }, limit: 1 }], true, txn);
    t.engine.insert('d', 'other', [{ _id: 'x' }], true, txn);
    t.engine.abortTransaction(txn);

    expect(t.engine.find('d', 'c', {})).to.deep.equal(before);
    expect(t.engine.listCollections('d').map((c) => c.name)).to.deep.equal(['c']);
    // The index must hold exactly the old keys again: 'a' and 'b' taken, 'z' and 'c' free.
    expect(t.engine.insert('d', 'c', [{ email: 'a' }], true).writeErrors).to.have.length(1);
    expect(t.engine.insert('d', 'c', [{ email: 'b' }], true).writeErrors).to.have.length(1);
    expect(t.engine.insert('d', 'c', [{ email: 'z' }, { email: 'c' }], true).n).to.equal(2);
    expect(queryPlan(t.engine, 'd', 'c', { email: 'a' }).nReturned).to.equal(1);
  });

  it('keeps an open transaction’s writes off the disk: a restart finds only committed writes', async () => {
    t.engine.insert('d', 'c', [{ _id: 0 }], true);
    const txn = t.engine.beginTransaction();
    t.engine.insert('d', 'c', [{ _id: 1 }, { _id: 2 }], true, txn);
    t.engine.insert('d', 'c', [{ _id: 'outside' }], true);
    await t.engine.whenDurable();
    expect(
      t
        .reopen()
        .find('d', 'c', {})
        .map((d) => d._id as unknown),
    ).to.deep.equal([0, 'outside']);
  });

  it('makes a committed transaction’s writes durable together', async () => {
    t.engine.insert('d', 'c', [{ _id: 0 }], true);
    const txn = t.engine.beginTransaction();
    t.engine.insert('d', 'c', [{ _id: 1 }, { _id: 2 }], true, txn);
    await t.engine.commitTransaction(txn);
    expect(t.reopen().count('d', 'c')).to.equal(3);
  });

  it('refuses to use a transaction after it ended', () => {
    const txn = t.engine.beginTransaction();
    t.engine.abortTransaction(txn);
    expect(() => t.engine.insert('d', 'c', [{}], true, txn))
      .to.throw()
      .with.property('code', 251);
  });
});
