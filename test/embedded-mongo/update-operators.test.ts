/**
 * Update operators the store applies itself, checked against MongoDB's documented answers: $push with
 * its modifiers, $addToSet, $pop, $pullAll, $rename, $min and $max, and the order in which an update
 * adds fields. These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import { ObjectId, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: update operators', () => {
  const conf = useConformanceDb('conf_update_operators');
  const coll = () => conf.db.collection<Document>('docs');
  const byId = (id: number) => ({ _id: id as never });
  const after = async (doc: Document, update: Document | Document[]): Promise<Document | null> => {
    await coll().deleteMany({});
    await coll().insertOne({ _id: 1 as never, ...doc });
    await coll().updateOne(byId(1), update);
    return coll().findOne(byId(1), { projection: { _id: 0 } });
  };

  describe('$push modifiers', () => {
    it('$each with $sort and $slice keeps the top entries, as MongoDB’s manual shows', async () => {
      const quizzes = [
        { wk: 1, score: 10 },
        { wk: 2, score: 8 },
        { wk: 3, score: 5 },
        { wk: 4, score: 6 },
      ];
      const update = {
        $push: {
          quizzes: {
            $each: [
              { wk: 5, score: 8 },
              { wk: 6, score: 7 },
              { wk: 7, score: 6 },
            ],
            $sort: { score: -1 },
            $slice: 3,
          },
        },
      };
      expect(await after({ quizzes }, update)).to.deep.equal({
        quizzes: [
          { wk: 1, score: 10 },
          { wk: 2, score: 8 },
          { wk: 5, score: 8 },
        ],
      });
    });

    it('$position inserts at an index, from the end when negative; $slice takes the last ones when negative', async () => {
      expect(
        await after({ s: [50, 60, 70] }, { $push: { s: { $each: [20, 30], $position: 0 } } }),
      ).to.deep.equal({
        s: [20, 30, 50, 60, 70],
      });
      expect(
        await after({ s: [50, 60, 70] }, { $push: { s: { $each: [65], $position: -1 } } }),
      ).to.deep.equal({
        s: [50, 60, 65, 70],
      });
      expect(await after({ s: [1, 2, 3] }, { $push: { s: { $each: [4, 5], $slice: -2 } } })).to.deep.equal({
        s: [4, 5],
      });
      expect(await after({ s: [3, 1] }, { $push: { s: { $each: [2], $sort: 1 } } })).to.deep.equal({
        s: [1, 2, 3],
      });
    });

    it('an object without $each is pushed as it is; a non-array $each is refused (2)', async () => {
      expect(await after({}, { $push: { s: { a: 1 } } })).to.deep.equal({ s: [{ a: 1 }] });
      await expectServerError(coll().updateOne(byId(1), { $push: { s: { $each: 5 } } } as Document), 2);
    });
  });

  it('$addToSet adds only values not already there, numbers equal across types', async () => {
    expect(
      await after({ tags: ['a', 1] }, { $addToSet: { tags: { $each: ['a', 'b', 1.0, 'b'] } } }),
    ).to.deep.equal({
      tags: ['a', 1, 'b'],
    });
  });

  it('$addToSet of thousands of ids keeps each once, whatever is already there', async () => {
    const ids = Array.from({ length: 3000 }, () => new ObjectId());
    const [first, second] = [ids.slice(0, 2000), ids.slice(1000)];
    const result = await after(
      { members: [...first, 'x', { a: 1 }] },
      { $addToSet: { members: { $each: [...second, ...second.slice(0, 5), 'x', 'y', { a: 1 }, { a: 2 }] } } },
    );
    expect(result?.members).to.deep.equal([
      ...ids.slice(0, 2000),
      'x',
      { a: 1 },
      ...ids.slice(2000),
      'y',
      { a: 2 },
    ]);
  });

  it('$pop removes the last or the first element; any other value fails with FailedToParse (9)', async () => {
    expect(await after({ s: [1, 2, 3] }, { $pop: { s: 1 } })).to.deep.equal({ s: [1, 2] });
    expect(await after({ s: [1, 2, 3] }, { $pop: { s: -1 } })).to.deep.equal({ s: [2, 3] });
    expect(await after({ s: [] }, { $pop: { s: 1 } })).to.deep.equal({ s: [] });
    await expectServerError(coll().updateOne(byId(1), { $pop: { s: 2 } } as Document), 9);
  });

  it('$pullAll removes every element equal to one listed', async () => {
    expect(await after({ s: [0, 2, 5, 5, 1, 0] }, { $pullAll: { s: [0, 5] } })).to.deep.equal({ s: [2, 1] });
  });

  it('$rename moves a field, nested ones too; a missing source changes nothing; an array on the way fails (2)', async () => {
    expect(await after({ a: 1, n: { b: 2 } }, { $rename: { a: 'z', 'n.b': 'm.c' } })).to.deep.equal({
      n: {},
      m: { c: 2 },
      z: 1,
    });
    expect(await after({ a: 1 }, { $rename: { missing: 'b' } })).to.deep.equal({ a: 1 });
    await coll().updateOne(byId(1), { $set: { arr: [{ x: 1 }] } });
    await expectServerError(coll().updateOne(byId(1), { $rename: { 'arr.0.x': 'y' } }), 2);
  });

  it('$min and $max compare across types in BSON order', async () => {
    expect(await after({ lo: 5, hi: 5 }, { $min: { lo: 'a' }, $max: { hi: 'a' } })).to.deep.equal({
      lo: 5,
      hi: 'a',
    });
    expect(await after({ lo: 5 }, { $min: { lo: null, fresh: 3 } })).to.deep.equal({ lo: null, fresh: 3 });
  });

  it('adds new fields in path order, whatever order the update names them in', async () => {
    expect(
      Object.keys((await after({}, { $set: { b: 1, a: 1 }, $inc: { c: 1 }, $push: { aa: 1 } }))!),
    ).to.deep.equal(['a', 'aa', 'b', 'c']);
    expect(await after({}, { $set: { 'n.y': 1, 'n.x': 1 } })).to.deep.equal({ n: { x: 1, y: 1 } });
  });

  it('$unset of an array element leaves null in its place; an unknown operator fails with 9', async () => {
    expect(await after({ s: [1, 2, 3] }, { $unset: { 's.1': '' } })).to.deep.equal({ s: [1, null, 3] });
    await expectServerError(coll().updateOne(byId(1), { $frobnicate: { s: 1 } }), 9);
  });

  it('a path through null cannot be created: PathNotViable (28), nothing changes', async () => {
    await expectServerError(
      (async () => {
        await after({ a: null }, { $set: { b: 1 } });
        await coll().updateOne(byId(1), { $set: { 'a.x': 1, b: 2 } });
      })(),
      28,
    );
    expect(await coll().findOne(byId(1), { projection: { _id: 0 } })).to.deep.equal({ a: null, b: 1 });
  });
});
