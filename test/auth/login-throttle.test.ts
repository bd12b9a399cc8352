import { expect } from 'chai';
import { LoginThrottle } from '../../src/auth/login-throttle.model.js';
import { clearCounters, extendWindow, reserveAttempt, returnAttempt } from '../../src/auth/login-throttle.js';
import { connectTestDb } from '../helpers/app-harness.js';

describe('sign-in counters: one atomic reservation per attempt', () => {
  beforeEach(() => connectTestDb());

  it('50 reservations at once each get their own number, 1 to 50, and the window is set once', async () => {
    const counts = await Promise.all(Array.from({ length: 50 }, () => reserveAttempt('ip|10.0.0.1', 60_000)));
    expect([...counts].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    const row = await LoginThrottle.findById('ip|10.0.0.1').lean();
    expect(row?.count).to.equal(50);
    expect(row!.expiresAt.getTime()).to.be.within(Date.now() + 55_000, Date.now() + 60_000);
  });

  it('an expired window that has not been removed yet starts again at 1, with a new end', async () => {
    await reserveAttempt('account|a@example.org', 60_000);
    await reserveAttempt('account|a@example.org', 60_000);
    await LoginThrottle.updateOne(
      { _id: 'account|a@example.org' },
      { $set: { expiresAt: new Date(Date.now() - 1) } },
    );
    expect(await reserveAttempt('account|a@example.org', 60_000)).to.equal(1);
    const row = await LoginThrottle.findById('account|a@example.org').lean();
    expect(row!.expiresAt.getTime()).to.be.greaterThan(Date.now());
  });

  it('a returned attempt lowers the count but never below zero; cleared counters are gone; a lock gets its full length', async () => {
    await reserveAttempt('ip|10.0.0.2', 60_000);
    await returnAttempt('ip|10.0.0.2');
    await returnAttempt('ip|10.0.0.2');
    expect((await LoginThrottle.findById('ip|10.0.0.2').lean())?.count).to.equal(0);
    await extendWindow('ip|10.0.0.2', 15 * 60_000);
    expect((await LoginThrottle.findById('ip|10.0.0.2').lean())!.expiresAt.getTime()).to.be.greaterThan(
      Date.now() + 14 * 60_000,
    );
    await reserveAttempt('ip-email|x', 60_000);
    await clearCounters(['ip|10.0.0.2', 'ip-email|x', 'never-existed']);
    await clearCounters([]);
    expect(await LoginThrottle.countDocuments({})).to.equal(0);
  });
});
