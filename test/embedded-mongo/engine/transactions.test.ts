import { expect } from 'chai';
import type { Transaction } from '../../../src/embedded-mongo/engine/engine-api.js';
import type { MongoCommandError } from '../../../src/embedded-mongo/errors.js';
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

describe('engine: transactions are snapshot-isolated and do not block', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
    t.engine.createIndexes('d', 'c', [{ key: { email: 1 }, name: 'email_1', unique: true }]);
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 1, email: 'a', n: 0 },
        { _id: 2, email: 'b', n: 0 },
      ],
      true,
    );
  });
  afterEach(() => t.cleanup());

  const ids = (txn?: Transaction) =>
    t.engine.find('d', 'c', { sort: { _id: 1 } }, txn).map((d) => d._id as unknown);

  it('keeps its writes to itself until commit, while outside reads see the committed state', async () => {
    const txn = t.engine.beginTransaction();
    t.engine.insert('d', 'c', [{ _id: 3, email: 'c' }], true, txn);
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], true, txn);
    expect(ids(txn)).to.deep.equal([1, 2, 3]);
    expect(ids()).to.deep.equal([1, 2]);
    expect(t.engine.count('d', 'c', { n: 1 }, 0, 0, txn)).to.equal(1);
    expect(t.engine.count('d', 'c', { n: 1 })).to.equal(0);
    await t.engine.commitTransaction(txn);
    expect(ids()).to.deep.equal([1, 2, 3]);
    expect(t.engine.count('d', 'c', { n: 1 })).to.equal(1);
  });

  it('reads its snapshot: a document changed outside after it began keeps its old version inside', () => {
    const txn = t.engine.beginTransaction();
    t.engine.update('d', 'c', [{ q: { _id: 2 }, u: { $set: { email: 'moved' } } }], true);
    t.engine.delete('d', 'c', [{ q: { _id: 1 }, limit: 1 }], true);
    t.engine.insert('d', 'c', [{ _id: 9, email: 'late' }], true);
    expect(
      t.engine.find('d', 'c', { filter: { email: 'b' } }, txn).map((d) => d._id as unknown),
    ).to.deep.equal([2]);
    expect(ids(txn)).to.deep.equal([1, 2]);
    expect(ids()).to.deep.equal([2, 9]);
    t.engine.abortTransaction(txn);
  });

  it('fails with WriteConflict (112, transient) on a document changed since its snapshot or held by another', () => {
    const first = t.engine.beginTransaction();
    const second = t.engine.beginTransaction();
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], true, first);
    // A different document: no conflict.
    expect(
      t.engine.update('d', 'c', [{ q: { _id: 2 }, u: { $inc: { n: 1 } } }], true, second).nModified,
    ).to.equal(1);
    const held = (() => {
      try {
        t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], true, second);
      } catch (e) {
        return e as MongoCommandError;
      }
      return undefined;
    })();
    expect(held?.code).to.equal(112);
    expect(held?.labels).to.deep.equal(['TransientTransactionError']);
    t.engine.abortTransaction(first);
    t.engine.abortTransaction(second);

    const late = t.engine.beginTransaction();
    t.engine.update('d', 'c', [{ q: { _id: 2 }, u: { $inc: { n: 5 } } }], true);
    expect(() => t.engine.delete('d', 'c', [{ q: { _id: 2 }, limit: 1 }], true, late))
      .to.throw()
      .with.property('code', 112);
    t.engine.abortTransaction(late);
  });

  it('makes an outside write to a document it holds wait for its end, and leaves other documents free', async () => {
    const txn = t.engine.beginTransaction();
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { n: 7 } } }], true, txn);
    expect(t.engine.writeBlockedBy('d', 'c', { filters: [{ q: { _id: 2 } }] })).to.equal(undefined);
    const wait = t.engine.writeBlockedBy('d', 'c', { filters: [{ q: { email: 'a' } }] });
    expect(wait).to.be.instanceOf(Promise);
    await t.engine.commitTransaction(txn);
    await wait;
    expect(t.engine.writeBlockedBy('d', 'c', { filters: [{ q: { email: 'a' } }] })).to.equal(undefined);
    expect(t.engine.find('d', 'c', { filter: { _id: 1 } })[0]?.n).to.equal(7);
  });

  it('checks unique indexes against the committed keys it has not changed and its own', () => {
    const txn = t.engine.beginTransaction();
    expect(t.engine.insert('d', 'c', [{ email: 'a' }], true, txn).writeErrors[0]?.code).to.equal(11000);
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { email: 'z' } } }], true, txn);
    expect(t.engine.insert('d', 'c', [{ _id: 5, email: 'a' }], true, txn).n).to.equal(1);
    expect(t.engine.insert('d', 'c', [{ email: 'z' }], true, txn).writeErrors[0]?.code).to.equal(11000);
    t.engine.abortTransaction(txn);
    expect(t.engine.count('d', 'c', { email: 'a' })).to.equal(1);
  });
});
