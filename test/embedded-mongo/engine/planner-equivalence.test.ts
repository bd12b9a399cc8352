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
          // Equality on its leading fields pins a compound index to key prefixes (with $in, several).
          { key: { a: 1, b: 1, 'n.x': 1 }, name: 'a_1_b_1_n.x_1' },
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

  // Strings holding what once separated the parts of a key: two different index keys must stay two,
  // whether they come from one multikey document or from an update.
  it('index keys whose strings hold separators stay apart, on insert and on update', () => {
    const t = tempEngine();
    try {
      const docs = [
        {
          _id: 1,
          t: [
            { k: 'x,sy', v: 'z' },
            { k: 'x', v: 'y,sz' },
          ],
        },
        { _id: 2, a: ['x,sy', 'x'], b: ['z', 'y,sz'] },
        { _id: 3, a: 'q', b: 'p,sq', c: 'r' },
        { _id: 4, o: { k: 'a,"j":sb' } },
      ];
      for (const c of ['plain', 'indexed']) t.engine.insert('d', c, docs, true);
      t.engine.createIndexes('d', 'indexed', [
        { key: { 't.k': 1, 't.v': 1 }, name: 'tk_tv' },
        { key: { a: 1, b: 1, c: 1 }, name: 'a_b_c' },
        { key: { o: 1 }, name: 'o_1' },
      ]);
      for (const c of ['plain', 'indexed'])
        t.engine.update('d', c, [{ q: { _id: 3 }, u: { $set: { b: 'p', c: 'q,sr' } } }], true);
      const filters: Record<string, unknown>[] = [
        { 't.k': 'x,sy', 't.v': 'z' },
        { a: 'x,sy', b: 'z' },
        { a: 'q', b: 'p' },
        { a: 'q', b: 'p', c: 'q,sr' },
        { o: { k: 'a,"j":sb' } },
        { o: { k: 'a', j: 'b' } },
      ];
      for (const filter of filters) {
        const a = t.engine.find('d', 'plain', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
        const b = t.engine.find('d', 'indexed', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
        expect(b, JSON.stringify(filter)).to.deep.equal(a);
      }
    } finally {
      t.cleanup();
    }
  });

  // A numeric part reads a position and also a field of that name in each subdocument, which index
  // keys do not: {a: [{b: 1}]} has no null key on a.0, yet {'a.0': null} matches it (field "0").
  it('conditions on positional paths (a.0, a.0.b) give the same documents with indexes on them', () => {
    const t = tempEngine();
    try {
      const docs = [
        { _id: 1, a: [{ b: 1 }] },
        { _id: 2, a: [1, { '0': 5 }] },
        { _id: 3, a: [] },
        { _id: 4, a: [[{ b: 2 }]] },
        { _id: 5, a: { '0': { b: 3 } } },
        { _id: 6, a: [5, 6] },
        { _id: 7 },
        { _id: 8, a: [{ '0': null }, { b: 4 }] },
      ];
      t.engine.insert('d', 'plain', docs, true);
      t.engine.insert('d', 'indexed', docs, true);
      t.engine.createIndexes('d', 'indexed', [
        { key: { 'a.0': 1 }, name: 'a.0_1' },
        { key: { 'a.0.b': 1 }, name: 'a.0.b_1' },
      ]);
      const filters: Record<string, unknown>[] = [
        { 'a.0': null },
        { 'a.0': 5 },
        { 'a.0': { $in: [null, 1] } },
        { 'a.0': { $gte: 5 } },
        { 'a.0.b': null },
        { 'a.0.b': { $in: [2, 3] } },
        { 'a.0.b': { $lt: 2 } },
      ];
      for (const filter of filters) {
        const a = t.engine.find('d', 'plain', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
        const b = t.engine.find('d', 'indexed', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
        expect(b, JSON.stringify(filter)).to.deep.equal(a);
      }
      const ids = (filter: Record<string, unknown>) =>
        t.engine.find('d', 'indexed', { filter, sort: { _id: 1 } }).map((d) => d._id as unknown);
      expect(ids({ 'a.0': null })).to.deep.equal([1, 7, 8]);
      expect(ids({ 'a.0': 5 })).to.deep.equal([2, 6]);
    } finally {
      t.cleanup();
    }
  });
});
