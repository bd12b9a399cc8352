import { expect } from 'chai';
import { sharedCache, signalChange } from '../../src/core/shared-cache.js';
import { connectTestDb } from '../helpers/app-harness.js';

/** A load that finishes when the test says so, counting how often it was started. */
function gatedLoads<V>() {
  const gates: ((v: V) => void)[] = [];
  const failures: ((e: Error) => void)[] = [];
  return {
    started: () => gates.length,
    load: () =>
      new Promise<V>((resolve, reject) => {
        gates.push(resolve);
        failures.push(reject);
      }),
    finish: (i: number, v: V) => gates[i]!(v),
    fail: (i: number, e: Error) => failures[i]!(e),
  };
}

describe('shared cache: loads', () => {
  before(connectTestDb);
  let kind = 0;
  const freshKind = () => `test-loads-${(kind += 1)}`;

  it('many asking for the same cold key at once wait for one load', async () => {
    const cache = sharedCache<string>(freshKind());
    const loads = gatedLoads<string>();
    const asked = Array.from({ length: 50 }, () => cache.get('quiz', loads.load));
    expect(loads.started()).to.equal(1);
    loads.finish(0, 'the quiz');
    expect(await Promise.all(asked)).to.deep.equal(Array(50).fill('the quiz'));
    expect(await cache.get('quiz', loads.load)).to.equal('the quiz');
    expect(loads.started()).to.equal(1);
  });

  it('a load begun before a change is not joined nor kept: whoever asks after the change reads again', async () => {
    const k = freshKind();
    const cache = sharedCache<string>(k);
    const loads = gatedLoads<string>();
    const before = cache.get('quiz', loads.load);
    await signalChange(k);
    const after = cache.get('quiz', loads.load);
    expect(loads.started()).to.equal(2);
    loads.finish(0, 'old settings');
    loads.finish(1, 'new settings');
    expect(await before).to.equal('old settings');
    expect(await after).to.equal('new settings');
    expect(await cache.get('quiz', loads.load)).to.equal('new settings');
  });

  it('a failed load fails those waiting on it, and the next ask loads again', async () => {
    const cache = sharedCache<string>(freshKind());
    const loads = gatedLoads<string>();
    const asked = [cache.get('quiz', loads.load), cache.get('quiz', loads.load)];
    loads.fail(0, new Error('store unreachable'));
    const outcomes = await Promise.allSettled(asked);
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message)).to.deep.equal([
      'store unreachable',
      'store unreachable',
    ]);
    const again = cache.get('quiz', loads.load);
    expect(loads.started()).to.equal(2);
    loads.finish(1, 'the quiz');
    expect(await again).to.equal('the quiz');
  });
});
