/**
 * Projections of find and findAndModify as MongoDB computes them: nested paths through arrays,
 * the positional $ projection, $elemMatch, computed fields, and the mistakes it refuses. These pass
 * against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import { Double, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: projections', () => {
  const conf = useConformanceDb('conf_projections');
  const courses = () => conf.db.collection<Document>('courses');
  const one = (filter: Document, projection: Document) => courses().findOne(filter, { projection });

  before(async () => {
    await courses().insertOne({
      _id: 1 as never,
      title: 'Advocacy',
      meta: { level: 2, lang: 'fa', draft: true },
      lessons: [
        { name: 'Intro', minutes: 10, quiz: { passMark: 60 } },
        { name: 'Rights', minutes: 25, quiz: { passMark: 70 } },
        { name: 'Practice', minutes: 40 },
      ],
      price: new Double(20),
    });
  });

  it('includes and excludes nested fields, also through arrays of documents, and leaves the stored document whole', async () => {
    expect(await one({}, { 'meta.level': 1, 'lessons.name': 1 })).to.deep.equal({
      _id: 1,
      meta: { level: 2 },
      lessons: [{ name: 'Intro' }, { name: 'Rights' }, { name: 'Practice' }],
    });
    expect(await one({}, { _id: 0, meta: 0, 'lessons.quiz': 0, title: 0, price: 0 })).to.deep.equal({
      lessons: [
        { name: 'Intro', minutes: 10 },
        { name: 'Rights', minutes: 25 },
        { name: 'Practice', minutes: 40 },
      ],
    });
    const stored = (await courses().findOne({ _id: 1 as never }))!;
    expect(stored.meta).to.deep.equal({ level: 2, lang: 'fa', draft: true });
    expect((stored.lessons as Document[])[1]).to.deep.equal({
      name: 'Rights',
      minutes: 25,
      quiz: { passMark: 70 },
    });
  });

  it('the positional $ keeps the element the query matched; $elemMatch the first element it matches', async () => {
    expect(await one({ 'lessons.minutes': { $gt: 20 } }, { 'lessons.$': 1 })).to.deep.equal({
      _id: 1,
      lessons: [{ name: 'Rights', minutes: 25, quiz: { passMark: 70 } }],
    });
    expect(
      await one({}, { title: 1, lessons: { $elemMatch: { 'quiz.passMark': { $gte: 65 } } } }),
    ).to.deep.equal({
      _id: 1,
      title: 'Advocacy',
      lessons: [{ name: 'Rights', minutes: 25, quiz: { passMark: 70 } }],
    });
    expect(await one({}, { lessons: { $elemMatch: { minutes: { $gt: 100 } } } })).to.deep.equal({ _id: 1 });
  });

  it('computes fields from expressions, on stored doubles as on any number', async () => {
    expect(
      await one(
        {},
        {
          _id: 0,
          title: { $toUpper: '$title' },
          total: { $sum: '$lessons.minutes' },
          half: { $divide: ['$price', 2] },
        },
      ),
    ).to.deep.equal({ title: 'ADVOCACY', total: 75, half: 10 });
  });

  it('findOneAndUpdate projects the document it returns', async () => {
    const doc = await courses().findOneAndUpdate(
      { _id: 1 as never },
      { $inc: { 'meta.level': 1 } },
      { projection: { 'meta.level': 1, _id: 0 }, returnDocument: 'after' },
    );
    expect(doc).to.deep.equal({ meta: { level: 3 } });
  });

  it('refuses mixing inclusion and exclusion, naming the field (31254, 31253)', async () => {
    await expectServerError(
      courses()
        .find({}, { projection: { title: 1, meta: 0 } })
        .toArray(),
      31254,
    );
    await expectServerError(
      courses()
        .find({}, { projection: { meta: 0, title: 1 } })
        .toArray(),
      31253,
    );
  });
});
