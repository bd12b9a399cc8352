/**
 * Array updates through the positional operators, with the data and answers of MongoDB's manual:
 * `$` (the element the query matched), `$[]` (every element) and `$[name]` with arrayFilters, and
 * the mistakes MongoDB refuses before it touches a document. These pass against a real MongoDB
 * replica set too.
 */
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: positional array updates', () => {
  const conf = useConformanceDb('conf_positional');
  const students = () => conf.db.collection<Document>('students');
  const one = async (id: number) =>
    (await students().findOne({ _id: id as never }, { projection: { _id: 0 } }))!;

  beforeEach(async () => {
    await students().deleteMany({});
  });

  it('$[] updates every element, also of nested arrays together with $[name]', async () => {
    await students().insertMany([
      { _id: 1 as never, grades: [85, 82, 80] },
      {
        _id: 2 as never,
        grades: [
          { type: 'quiz', questions: [10, 8, 5] },
          { type: 'quiz', questions: [8, 9, 6] },
          { type: 'hw', questions: [5, 4, 3] },
          { type: 'exam', questions: [25, 10, 23, 0] },
        ],
      },
    ]);
    await students().updateOne({ _id: 1 as never }, { $inc: { 'grades.$[]': 10 } });
    expect((await one(1)).grades).to.deep.equal([95, 92, 90]);
    await students().updateOne(
      { _id: 2 as never },
      { $inc: { 'grades.$[].questions.$[score]': 2 } },
      { arrayFilters: [{ score: { $gte: 8 } }] },
    );
    expect(((await one(2)).grades as Document[]).map((g) => g.questions as unknown)).to.deep.equal([
      [12, 10, 5],
      [10, 11, 6],
      [5, 4, 3],
      [27, 12, 25, 0],
    ]);
  });

  describe('$[name] with arrayFilters on documents', () => {
    beforeEach(async () => {
      await students().insertOne({
        _id: 3 as never,
        grades: [
          { grade: 80, mean: 75, std: 6 },
          { grade: 85, mean: 90, std: 4 },
          { grade: 85, mean: 85, std: 6 },
        ],
      });
    });

    it('updates the elements a filter accepts, by one condition or several', async () => {
      await students().updateOne(
        { _id: 3 as never },
        { $set: { 'grades.$[elem].mean': 100 } },
        { arrayFilters: [{ 'elem.grade': { $gte: 85 } }] },
      );
      await students().updateOne(
        { _id: 3 as never },
        { $inc: { 'grades.$[elem].std': -1 } },
        { arrayFilters: [{ 'elem.grade': { $gte: 80 }, 'elem.std': { $gt: 5 } }] },
      );
      expect((await one(3)).grades).to.deep.equal([
        { grade: 80, mean: 75, std: 5 },
        { grade: 85, mean: 100, std: 4 },
        { grade: 85, mean: 100, std: 5 },
      ]);
    });

    it('matches the document but changes nothing when no element passes the filter', async () => {
      const result = await students().updateOne(
        { _id: 3 as never },
        { $set: { 'grades.$[elem].mean': 0 } },
        { arrayFilters: [{ 'elem.grade': { $gt: 100 } }] },
      );
      expect([result.matchedCount, result.modifiedCount]).to.deep.equal([1, 0]);
    });

    it('refuses a filter nothing uses, one named twice, two names in one filter, and a name without a filter', async () => {
      const update = { $set: { 'grades.$[elem].mean': 0 } };
      await expectServerError(
        students().updateOne({ _id: 3 as never }, update, {
          arrayFilters: [{ 'elem.grade': 80 }, { 'other.grade': 85 }],
        }),
        9,
      );
      await expectServerError(
        students().updateOne({ _id: 3 as never }, update, {
          arrayFilters: [{ 'elem.grade': 80 }, { 'elem.std': 6 }],
        }),
        9,
      );
      await expectServerError(
        students().updateOne({ _id: 3 as never }, update, {
          arrayFilters: [{ 'elem.grade': 80, 'x.std': 6 }],
        }),
        9,
      );
      await expectServerError(students().updateOne({ _id: 3 as never }, update), 2);
      // Refused before any document is looked at: a filter nothing uses fails on no match too.
      await expectServerError(
        students().updateOne({ _id: 99 as never }, { $set: { x: 1 } }, { arrayFilters: [{ 'e.a': 1 }] }),
        9,
      );
      expect((await one(3)).grades).to.have.length(3);
    });
  });

  describe('$, the element the query matched', () => {
    beforeEach(async () => {
      await students().insertOne({
        _id: 4 as never,
        grades: [
          { grade: 80, mean: 75, std: 8 },
          { grade: 85, mean: 90, std: 5 },
          { grade: 85, mean: 85, std: 8 },
        ],
      });
    });

    it('is the first element matched by a dotted condition, or by $elemMatch', async () => {
      await students().updateOne({ _id: 4 as never, 'grades.grade': 85 }, { $set: { 'grades.$.std': 6 } });
      await students().updateOne(
        { _id: 4 as never, grades: { $elemMatch: { grade: { $lte: 90 }, mean: { $gt: 80 } } } },
        { $inc: { 'grades.$.grade': 1 } },
      );
      expect((await one(4)).grades).to.deep.equal([
        { grade: 80, mean: 75, std: 8 },
        { grade: 86, mean: 90, std: 6 },
        { grade: 85, mean: 85, std: 8 },
      ]);
    });

    it('fails with BadValue (2) when the query holds no condition on the array', async () => {
      await expectServerError(students().updateOne({ _id: 4 as never }, { $set: { 'grades.$.std': 0 } }), 2);
    });
  });
});
