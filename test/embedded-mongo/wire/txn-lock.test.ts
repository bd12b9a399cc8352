import { expect } from 'chai';
import { TxnLock } from '../../../src/embedded-mongo/state/txn-lock.js';

describe('transaction lock', function () {
  it('grants at once when free and nobody waits', function () {
    const lock = new TxnLock();
    expect(lock.acquire('a', false)).to.equal(undefined);
    expect(lock.acquire('b', true)).to.equal(undefined);
    expect(lock.owner).to.equal('b');
  });

  it('queues everyone behind an owner and wakes them in arrival order, stopping at the next owner', async function () {
    const lock = new TxnLock();
    expect(lock.acquire('txn1', true)).to.equal(undefined);
    const order: string[] = [];
    const waits = [
      lock.acquire('r1', false)!.then(() => order.push('r1')),
      lock.acquire('txn2', true)!.then(() => order.push('txn2')),
      lock.acquire('r2', false)!.then(() => order.push('r2')),
    ];
    await Promise.resolve();
    expect(order).to.deep.equal([]);
    lock.release('someone-else');
    await Promise.resolve();
    expect(order).to.deep.equal([]);
    lock.release('txn1');
    await Promise.all(waits.slice(0, 2));
    expect(order).to.deep.equal(['r1', 'txn2']);
    expect(lock.owner).to.equal('txn2');
    expect(lock.waiting).to.equal(1);
    lock.release('txn2');
    await waits[2];
    expect(order).to.deep.equal(['r1', 'txn2', 'r2']);
    expect(lock.owner).to.equal(null);
  });
});
