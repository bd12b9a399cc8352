import { expect } from 'chai';
import { useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: aggregate, count and distinct', () => {
  const conf = useConformanceDb('conf_aggregate');
  const enrolments = () => conf.db.collection('enrolments');
  const courses = () => conf.db.collection('courses');

  before(async () => {
    await courses().insertMany([
      { _id: 'tip', title: 'TIP law', hours: 6 },
      { _id: 'adv', title: 'Advocacy', hours: 8 },
      { _id: 'plan', title: 'Action plans', hours: 4 },
    ] as never[]);
    await enrolments().insertMany([
      { _id: 1, user: 'u1', course: 'tip', score: 80, tags: ['a', 'b'], nested: { level: 1 } },
      { _id: 2, user: 'u2', course: 'tip', score: 60, tags: ['b'], nested: { level: 2 } },
      { _id: 3, user: 'u1', course: 'adv', score: 90, tags: [], nested: { level: 1 } },
      { _id: 4, user: 'u3', course: 'adv', score: 70, tags: ['c', 'a'], nested: { level: 3 } },
      { _id: 5, user: 'u3', course: 'tip', score: 100, nested: { level: 1 } },
    ] as never[]);
  });

  it('$match, $group with $sum/$avg/$max/$push, then $sort', async () => {
    const rows = await enrolments()
      .aggregate([
        { $match: { score: { $gte: 60 } } },
        {
          $group: {
            _id: '$course',
            n: { $sum: 1 },
            total: { $sum: '$score' },
            avg: { $avg: '$score' },
            best: { $max: '$score' },
            users: { $push: '$user' },
          },
        },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      { _id: 'tip', n: 3, total: 240, avg: 80, best: 100, users: ['u1', 'u2', 'u3'] },
      { _id: 'adv', n: 2, total: 160, avg: 80, best: 90, users: ['u1', 'u3'] },
    ]);
  });

  it('$project with inclusion and computed fields', async () => {
    const rows = await enrolments()
      .aggregate([
        { $match: { _id: { $in: [1, 2] } } },
        { $sort: { _id: 1 } },
        { $project: { _id: 0, user: 1, passed: { $gte: ['$score', 70] }, level: '$nested.level' } },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      { user: 'u1', passed: true, level: 1 },
      { user: 'u2', passed: false, level: 2 },
    ]);
  });

  it('$lookup joins another collection of the same database', async () => {
    const rows = await enrolments()
      .aggregate([
        { $match: { user: 'u1' } },
        { $sort: { _id: 1 } },
        { $lookup: { from: 'courses', localField: 'course', foreignField: '_id', as: 'courseDoc' } },
        { $project: { _id: 1, title: { $first: '$courseDoc.title' }, matches: { $size: '$courseDoc' } } },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      { _id: 1, title: 'TIP law', matches: 1 },
      { _id: 3, title: 'Advocacy', matches: 1 },
    ]);
  });

  it('$lookup with let and a sub-pipeline filters the joined documents', async () => {
    const rows = await courses()
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $lookup: {
            from: 'enrolments',
            let: { courseId: '$_id' },
            pipeline: [
              { $match: { $expr: { $and: [{ $eq: ['$course', '$$courseId'] }, { $gte: ['$score', 80] }] } } },
              { $project: { _id: 0, user: 1 } },
              { $sort: { user: 1 } },
            ],
            as: 'strong',
          },
        },
        { $project: { strong: 1 } },
      ])
      .toArray();
    expect(rows).to.deep.equal([
      { _id: 'adv', strong: [{ user: 'u1' }] },
      { _id: 'plan', strong: [] },
      { _id: 'tip', strong: [{ user: 'u1' }, { user: 'u3' }] },
    ]);
  });

  it('$facet, $sortByCount and $dateToString work together as reports use them', async () => {
    const events = conf.db.collection('events');
    await events.insertMany([
      { kind: 'login', at: new Date('2026-04-24T08:00:00Z') },
      { kind: 'login', at: new Date('2026-04-24T09:30:00Z') },
      { kind: 'quiz', at: new Date('2026-04-25T10:00:00Z') },
    ]);
    const [row] = await events
      .aggregate([
        {
          $facet: {
            byKind: [{ $sortByCount: '$kind' }],
            byDay: [
              { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$at' } }, n: { $sum: 1 } } },
              { $sort: { _id: 1 } },
            ],
          },
        },
      ])
      .toArray();
    expect(row?.byKind).to.deep.equal([
      { _id: 'login', count: 2 },
      { _id: 'quiz', count: 1 },
    ]);
    expect(row?.byDay).to.deep.equal([
      { _id: '2026-04-24', n: 2 },
      { _id: '2026-04-25', n: 1 },
    ]);
  });

  it('$unwind emits one document per array element and drops empty or missing arrays', async () => {
    const rows = await enrolments()
      .aggregate([{ $unwind: '$tags' }, { $sort: { _id: 1, tags: 1 } }, { $project: { _id: 1, tags: 1 } }])
      .toArray();
    expect(rows.map((r): unknown[] => [r._id, r.tags])).to.deep.equal([
      [1, 'a'],
      [1, 'b'],
      [2, 'b'],
      [4, 'a'],
      [4, 'c'],
    ]);
  });

  it('$count names the count field', async () => {
    const rows = await enrolments()
      .aggregate([{ $match: { course: 'tip' } }, { $count: 'tipCount' }])
      .toArray();
    expect(rows).to.deep.equal([{ tipCount: 3 }]);
  });

  it('aggregation never changes the stored documents, even with stages that rewrite them', async () => {
    const before = await enrolments().find().sort({ _id: 1 }).toArray();
    await enrolments()
      .aggregate([
        { $addFields: { 'nested.level': 99, extra: true } },
        { $set: { tags: ['overwritten'] } },
        { $unset: 'user' },
        { $unwind: '$tags' },
      ])
      .toArray();
    await enrolments()
      .aggregate([{ $replaceRoot: { newRoot: '$nested' } }, { $addFields: { level: 0 } }])
      .toArray();
    expect(await enrolments().find().sort({ _id: 1 }).toArray()).to.deep.equal(before);
  });

  it('count command, countDocuments and estimatedDocumentCount agree', async () => {
    const raw = await conf.db.command({ count: 'enrolments', query: { course: 'tip' } });
    expect(raw.n).to.equal(3);
    expect(await enrolments().countDocuments({ course: 'tip' })).to.equal(3);
    expect(await enrolments().countDocuments({}, { skip: 1, limit: 2 })).to.equal(2);
    expect(await enrolments().estimatedDocumentCount()).to.equal(5);
    expect(await conf.db.collection('absent').countDocuments()).to.equal(0);
  });

  it('distinct returns each value once, flattening arrays, filtered by query', async () => {
    expect((await enrolments().distinct('course')).sort()).to.deep.equal(['adv', 'tip']);
    expect((await enrolments().distinct('tags')).sort()).to.deep.equal(['a', 'b', 'c']);
    expect((await enrolments().distinct('user', { course: 'adv' })).sort()).to.deep.equal(['u1', 'u3']);
    expect((await enrolments().distinct('nested.level')).sort()).to.deep.equal([1, 2, 3]);
  });
});
