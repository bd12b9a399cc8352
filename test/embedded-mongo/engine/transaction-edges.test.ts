import { expect } from 'chai';
import type { Transaction } from '../../../src/embedded-mongo/engine/engine-api.js';
import type { MongoCommandError } from '../../../src/embedded-mongo/errors.js';
import { tempEngine } from '../support/temp-engine.js';

function failure(action: () => unknown): MongoCommandError | undefined {
  try {
    action();
  } catch (e) {
    return e as MongoCommandError;
  }
  return undefined;
}

describe('engine: transactions at the edges', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
    t.engine.createIndexes('d', 'c', [{ key: { email: 1 }, name: 'email_1', unique: true }]);
    t.engine.insert('d', 'c', [{ _id: 1, email: 'a', n: 0 }], true);
  });
  afterEach(() => t.cleanup());

  const n = (txn?: Transaction) => t.engine.find('d', 'c', { filter: { _id: 1 } }, txn)[0]?.n as unknown;
  const bump = () => t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], true);

  it('each transaction reads the version of its own start, however many commits come after', () => {
    const first = t.engine.beginTransaction();
    bump();
    const second = t.engine.beginTransaction();
    bump();
    bump();
    expect([n(first), n(second), n()]).to.deep.equal([0, 1, 3]);
    t.engine.abortTransaction(first);
    expect(n(second)).to.equal(1);
    t.engine.abortTransaction(second);
    const third = t.engine.beginTransaction();
    expect(n(third)).to.equal(3);
    t.engine.abortTransaction(third);
  });

  it('holds the old and the new unique key of a document it changed until it ends', () => {
    const txn = t.engine.beginTransaction();
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { email: 'b' } } }], true, txn);
    for (const email of ['a', 'b']) {
      expect(t.engine.writeBlockedBy('d', 'c', { inserts: [{ email }] }), email).to.be.instanceOf(Promise);
    }
    expect(t.engine.writeBlockedBy('d', 'c', { inserts: [{ email: 'c' }] })).to.equal(undefined);
    const other = t.engine.beginTransaction();
    expect(failure(() => t.engine.insert('d', 'c', [{ _id: 2, email: 'a' }], true, other))?.code).to.equal(
      112,
    );
    t.engine.abortTransaction(other);
    t.engine.abortTransaction(txn);
    expect(t.engine.writeBlockedBy('d', 'c', { inserts: [{ email: 'a' }, { email: 'b' }] })).to.equal(
      undefined,
    );
  });

  it('an outside update whose result would take a held key waits; an upsert that would insert it too', () => {
    const txn = t.engine.beginTransaction();
    t.engine.insert('d', 'c', [{ _id: 2, email: 'held' }], true, txn);
    const update = { q: { _id: 1 }, u: { $set: { email: 'held' } } };
    expect(t.engine.writeBlockedBy('d', 'c', { filters: [update] })).to.be.instanceOf(Promise);
    const upsert = { q: { email: 'held' }, u: { $set: { n: 1 } }, upsert: true };
    expect(t.engine.writeBlockedBy('d', 'c', { filters: [upsert] })).to.be.instanceOf(Promise);
    const elsewhere = { q: { _id: 1 }, u: { $set: { email: 'free' } } };
    expect(t.engine.writeBlockedBy('d', 'c', { filters: [elsewhere] })).to.equal(undefined);
    t.engine.abortTransaction(txn);
  });

  it('a key committed by someone else after its snapshot is a write conflict, not a duplicate it could not see', () => {
    const txn = t.engine.beginTransaction();
    t.engine.insert('d', 'c', [{ _id: 3, email: 'late' }], true);
    const error = failure(() => t.engine.insert('d', 'c', [{ _id: 4, email: 'late' }], true, txn));
    expect(error?.code).to.equal(112);
    const seen = t.engine.insert('d', 'c', [{ _id: 5, email: 'a' }], true, txn).writeErrors[0];
    expect(seen?.code).to.equal(11000);
    t.engine.abortTransaction(txn);
  });

  it('leaves a document a transaction holds to the next TTL pass', async () => {
    t.engine.createIndexes('d', 'ttl', [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 1 }]);
    t.engine.insert(
      'd',
      'ttl',
      [
        { _id: 1, at: new Date(0) },
        { _id: 2, at: new Date(0) },
      ],
      true,
    );
    const txn = t.engine.beginTransaction();
    t.engine.update('d', 'ttl', [{ q: { _id: 1 }, u: { $set: { seen: true } } }], true, txn);
    expect(t.engine.expireTtl()).to.equal(1);
    await t.engine.commitTransaction(txn);
    expect(t.engine.expireTtl()).to.equal(1);
    expect(t.engine.count('d', 'ttl')).to.equal(0);
  });

  it('a commit that can no longer apply fails with a write conflict and applies nothing', async () => {
    t.engine.insert('d', 'other', [{ _id: 'o', v: 1 }], true);
    const txn = t.engine.beginTransaction();
    t.engine.update('d', 'other', [{ q: { _id: 'o' }, u: { $set: { v: 2 } } }], true, txn);
    const pair = [
      { _id: 2, email: 'e2', code: 'x' },
      { _id: 3, email: 'e3', code: 'x' },
    ];
    expect(t.engine.insert('d', 'c', pair, true, txn).n).to.equal(2);
    // A unique index built meanwhile over the committed documents, which the transaction's would break.
    t.engine.createIndexes('d', 'c', [{ key: { code: 1 }, name: 'code_1', unique: true, sparse: true }]);
    let error: MongoCommandError | undefined;
    await t.engine.commitTransaction(txn).catch((e: unknown) => (error = e as MongoCommandError));
    expect(error?.code).to.equal(112);
    expect(t.engine.find('d', 'other', {})).to.deep.equal([{ _id: 'o', v: 1 }]);
    expect(t.engine.find('d', 'c', {}).map((d) => d._id as unknown)).to.deep.equal([1]);
    expect(t.engine.insert('d', 'c', [{ _id: 2, email: 'e2', code: 'x' }], true).n).to.equal(1);
  });

  it('a commit into a collection dropped meanwhile fails and leaves the other collections as they were', async () => {
    t.engine.insert('d', 'gone', [{ _id: 1 }], true);
    const txn = t.engine.beginTransaction();
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { n: 9 } } }], true, txn);
    t.engine.insert('d', 'gone', [{ _id: 2 }], true, txn);
    t.engine.dropCollection('d', 'gone');
    let error: MongoCommandError | undefined;
    await t.engine.commitTransaction(txn).catch((e: unknown) => (error = e as MongoCommandError));
    expect(error?.code).to.equal(112);
    expect(n()).to.equal(0);
    expect(t.engine.listCollections('d').map((c) => c.name)).to.deep.equal(['c']);
  });

  it('holds only the keys a partial or sparse unique index really has', () => {
    t.engine.createIndexes('d', 'p', [
      {
        key: { code: 1 },
        name: 'code_active',
        unique: true,
        partialFilterExpression: { active: true },
      },
      { key: { nick: 1 }, name: 'nick_1', unique: true, sparse: true },
    ]);
    const txn = t.engine.beginTransaction();
    t.engine.insert('d', 'p', [{ _id: 1, code: 'x', active: true }, { _id: 2 }], true, txn);
    // The same code outside the partial filter is no key of the index: free.
    expect(t.engine.writeBlockedBy('d', 'p', { inserts: [{ code: 'x', active: false }] })).to.equal(
      undefined,
    );
    expect(t.engine.writeBlockedBy('d', 'p', { inserts: [{ code: 'x', active: true }] })).to.be.instanceOf(
      Promise,
    );
    // A document without the sparse field holds no null key there.
    expect(t.engine.writeBlockedBy('d', 'p', { inserts: [{ other: 1 }] })).to.equal(undefined);
    t.engine.abortTransaction(txn);
  });
});
