import { expect } from 'chai';
import { Decimal128, Long } from 'bson';
import { tempEngine } from '../support/temp-engine.js';

/** Small deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('engine: index answers equal full scans', () => {
  for (const seed of [42, 7, 2026]) {
    it(`random filters over mixed-type, multikey and missing values give the same documents either way (seed ${seed})`, () => {
      const t = tempEngine();
      try {
        const rand = prng(seed);
        const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
        const scalars: unknown[] = [
          0,
          1,
          2,
          3,
          2.5,
          Long.fromNumber(2),
          Decimal128.fromString('3'),
          'a',
          'b',
          null,
          true,
          new Date(1000),
        ];
        const value = (): unknown => (rand() < 0.2 ? [pick(scalars), pick(scalars)] : pick(scalars));
        const docs = Array.from({ length: 300 }, (_, i) => {
          const d: Record<string, unknown> = { _id: i };
          if (rand() < 0.85) d.a = value();
          if (rand() < 0.85) d.b = value();
          if (rand() < 0.2) d.n = [{ x: pick(scalars) }, { x: pick(scalars) }];
          return d;
        });
        t.engine.insert('d', 'plain', docs, true);
        t.engine.insert('d', 'indexed', docs, true);
        t.engine.createIndexes('d', 'indexed', [
          { key: { a: 1 }, name: 'a_1' },
          { key: { b: 1, a: -1 }, name: 'b_1_a_-1' },
          { key: { 'n.x': 1 }, name: 'n.x_1' },
        ]);
        const ops = ['$eq', '$gt', '$gte', '$lt', '$lte', '$in'];
        const condition = (): unknown => {
          const op = pick(ops);
          if (op === '$in') return { $in: [pick(scalars), pick(scalars)] };
          if (rand() < 0.3) return pick(scalars);
          const c: Record<string, unknown> = { [op]: pick(scalars) };
          if (rand() < 0.4) c[pick(['$lt', '$lte'])] = pick(scalars);
          return c;
        };
        for (let i = 0; i < 400; i++) {
          const filter: Record<string, unknown> = {};
          if (rand() < 0.7) filter.a = condition();
          if (rand() < 0.5) filter.b = condition();
          if (rand() < 0.3) filter['n.x'] = condition();
          const a = t.engine.find('d', 'plain', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
          const b = t.engine.find('d', 'indexed', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
          expect(b, `filter #${i} ${JSON.stringify(filter)}`).to.deep.equal(a);
        }
      } finally {
        t.cleanup();
      }
    });
  }
});
