import { expect } from 'chai';
import { Types } from 'mongoose';
import { appEvents } from '../../src/core/events.js';
import { Enrolment, type EnrolmentDoc } from '../../src/progress/enrolment.model.js';
import { enrolmentFacts } from '../../src/progress/progress-stats.service.js';
import {
  completeLesson,
  completionOf,
  enrol,
  enrolMany,
  isEnrolled,
  leave,
  membersOf,
  progressIn,
  recordQuizResult,
  replaceQuizResult,
  visitLesson,
  type CompletionRule,
} from '../../src/progress/progress.service.js';
import { connectTestDb } from '../helpers/app-harness.js';

/**
 * A member's enrolment in a course, as the progress service keeps it: joining and leaving, lessons done,
 * quiz results, completing the course (once), the members list, and enrolling a whole round at once.
 */

const newId = () => new Types.ObjectId().toHexString();
const enrolment = async (userId: string, courseId: string) =>
  Enrolment.findOne({
    userId: new Types.ObjectId(userId),
    courseId: new Types.ObjectId(courseId),
  }).lean<EnrolmentDoc>();

describe('progress: enrolments, lessons done, quiz results and completion', () => {
  let user: string;
  let course: string;
  let lessons: [string, string];
  let rule: CompletionRule;
  let completed: { userId: string; courseId: string; at: Date }[];
  const listener = (e: { userId: string; courseId: string; at: Date }) => completed.push(e);

  before(connectTestDb);
  beforeEach(() => {
    user = newId();
    course = newId();
    lessons = [newId(), newId()];
    rule = { lessonIds: lessons, quizIds: [] };
    completed = [];
    appEvents.on('course.completed', listener);
  });
  afterEach(() => {
    appEvents.off('course.completed', listener);
  });

  describe('joining and leaving', () => {
    it('five enrolments of the same person at the same moment leave exactly one active enrolment', async () => {
      await Promise.all(Array.from({ length: 5 }, () => enrol(user, course)));
      expect(await Enrolment.countDocuments()).to.equal(1);
      expect((await enrolment(user, course))!.status).to.equal('active');
      expect(await isEnrolled(user, course)).to.equal(true);
    });

    it('leaving keeps the lessons done and the place reached; enrolling again brings both back', async () => {
      await enrol(user, course);
      await completeLesson(user, course, lessons[0], rule);
      await visitLesson(user, course, lessons[1]);
      await leave(user, course);

      let progress = await progressIn(user, course);
      expect(progress.enrolled).to.equal(false);
      expect([...progress.completed]).to.deep.equal([lessons[0]]);
      expect(await isEnrolled(user, course)).to.equal(false);

      await enrol(user, course);
      progress = await progressIn(user, course);
      expect(progress.enrolled).to.equal(true);
      expect([...progress.completed]).to.deep.equal([lessons[0]]);
      expect(progress.lastLessonId).to.equal(lessons[1]);
    });

    it('someone never enrolled has empty progress, and completing or visiting a lesson stores nothing', async () => {
      const progress = await progressIn(user, course);
      expect(progress).to.deep.include({ enrolled: false, lastLessonId: null });
      expect(progress.completed.size).to.equal(0);
      expect(progress.quizzes.passed.size).to.equal(0);

      expect(await completeLesson(user, course, lessons[0], rule)).to.deep.equal({
        enrolled: false,
        courseComplete: false,
      });
      await visitLesson(user, course, lessons[0]);
      expect(await Enrolment.countDocuments()).to.equal(0);
    });

    it('after leaving, a lesson completed or opened (an old tab) changes nothing', async () => {
      await enrol(user, course);
      await visitLesson(user, course, lessons[0]);
      await leave(user, course);
      expect(await completeLesson(user, course, lessons[1], rule)).to.deep.equal({
        enrolled: false,
        courseComplete: false,
      });
      await visitLesson(user, course, lessons[1]);
      const stored = (await enrolment(user, course))!;
      expect(stored.completedLessons).to.deep.equal([]);
      expect(String(stored.lastLessonId)).to.equal(lessons[0]);
      expect(stored.status).to.equal('left');
    });
  });

  describe('completing a course', () => {
    it('the last lesson completes the course at the given time, and two racing requests announce it once', async () => {
      await enrol(user, course);
      expect(await completeLesson(user, course, lessons[0], rule)).to.deep.equal({
        enrolled: true,
        courseComplete: false,
      });
      expect((await enrolment(user, course))!.completedAt).to.equal(null);

      const when = new Date('2026-03-01T09:30:00Z');
      const results = await Promise.all([
        completeLesson(user, course, lessons[1], rule, when),
        completeLesson(user, course, lessons[1], rule, when),
      ]);
      expect(results.map((r) => r.courseComplete)).to.deep.equal([true, true]);
      expect(completed).to.deep.equal([{ userId: user, courseId: course, at: when }]);
      const stored = (await enrolment(user, course))!;
      expect(stored.completedAt!.toISOString()).to.equal(when.toISOString());
      expect(stored.completedLessons.map(String)).to.have.members(lessons);
      expect(stored.completedLessons).to.have.length(2);

      // Reading a lesson again later neither moves the date nor announces a second completion.
      await completeLesson(user, course, lessons[0], rule, new Date('2026-04-01T00:00:00Z'));
      expect((await enrolment(user, course))!.completedAt!.toISOString()).to.equal(when.toISOString());
      expect(completed).to.have.length(1);
    });

    it('with a required quiz, every lesson done is not enough: passing the quiz completes the course', async () => {
      const quiz = newId();
      rule = { lessonIds: lessons, quizIds: [quiz] };
      await enrol(user, course);
      await completeLesson(user, course, lessons[0], rule);
      expect((await completeLesson(user, course, lessons[1], rule)).courseComplete).to.equal(false);

      const failed = await recordQuizResult(user, course, { quizId: quiz, percent: 40, passed: false }, rule);
      expect(failed.courseComplete).to.equal(false);
      expect(completed).to.have.length(0);

      const passed = await recordQuizResult(user, course, { quizId: quiz, percent: 80, passed: true }, rule);
      expect(passed.courseComplete).to.equal(true);
      expect(completed.map((e) => e.courseId)).to.deep.equal([course]);
      expect((await completionOf(user, course))!.quizBest).to.deep.equal({ [quiz]: 80 });
    });
  });

  describe('quiz results', () => {
    it('the first percent is kept, the best only rises, and a pass stays passed after a worse attempt', async () => {
      const quiz = newId();
      rule = { lessonIds: lessons, quizIds: [quiz] };
      await enrol(user, course);
      for (const [percent, passed] of [
        [60, false],
        [90, true],
        [70, false],
      ] as const)
        await recordQuizResult(user, course, { quizId: quiz, percent, passed }, rule);

      const { quizzes } = await progressIn(user, course);
      expect(quizzes.first).to.deep.equal({ [quiz]: 60 });
      expect(quizzes.best).to.deep.equal({ [quiz]: 90 });
      expect([...quizzes.passed]).to.deep.equal([quiz]);
    });

    it('results of two quizzes submitted at once are both kept', async () => {
      const [a, b] = [newId(), newId()];
      await enrol(user, course);
      await Promise.all([
        recordQuizResult(user, course, { quizId: a, percent: 55, passed: false }, rule),
        recordQuizResult(user, course, { quizId: b, percent: 85, passed: true }, rule),
      ]);
      const { quizzes } = await progressIn(user, course);
      expect(quizzes.best).to.deep.equal({ [a]: 55, [b]: 85 });
      expect(quizzes.first).to.deep.equal({ [a]: 55, [b]: 85 });
      expect([...quizzes.passed]).to.deep.equal([b]);
    });

    it('a result sent after the person left is kept, but does not complete the course', async () => {
      const quiz = newId();
      rule = { lessonIds: [lessons[0]], quizIds: [quiz] };
      await enrol(user, course);
      await completeLesson(user, course, lessons[0], rule);
      await leave(user, course);
      const r = await recordQuizResult(user, course, { quizId: quiz, percent: 95, passed: true }, rule);
      expect(r.courseComplete).to.equal(false);
      const stored = (await enrolment(user, course))!;
      expect(stored.quizBest).to.deep.equal({ [quiz]: 95 });
      expect(stored.completedAt).to.equal(null);
      expect(completed).to.have.length(0);
    });

    it('a corrected paper result replaces both first and best, and a corrected fail takes the pass away', async () => {
      const quiz = newId();
      rule = { lessonIds: [lessons[0]], quizIds: [quiz] };
      await enrol(user, course);
      await recordQuizResult(user, course, { quizId: quiz, percent: 90, passed: true }, rule);

      let r = await replaceQuizResult(user, course, { quizId: quiz, percent: 50, passed: false }, rule);
      expect(r.courseComplete).to.equal(false);
      let { quizzes } = await progressIn(user, course);
      expect(quizzes.first).to.deep.equal({ [quiz]: 50 });
      expect(quizzes.best).to.deep.equal({ [quiz]: 50 });
      expect(quizzes.passed.size).to.equal(0);

      await completeLesson(user, course, lessons[0], rule);
      r = await replaceQuizResult(user, course, { quizId: quiz, percent: 80, passed: true }, rule);
      expect(r.courseComplete).to.equal(true);
      ({ quizzes } = await progressIn(user, course));
      expect(quizzes.best).to.deep.equal({ [quiz]: 80 });
      expect([...quizzes.passed]).to.deep.equal([quiz]);
      expect(completed).to.have.length(1);
    });
  });

  describe('the members list of a course’s staff page', () => {
    /** Sets when an enrolment last changed, so "most recently active first" has an answer. */
    const touch = (userId: string, courseId: string, iso: string) =>
      Enrolment.collection.updateOne(
        { userId: new Types.ObjectId(userId), courseId: new Types.ObjectId(courseId) },
        { $set: { updatedAt: new Date(iso) } },
      );

    it('a course’s members are the active ones, most recently active first, a page at a time, with their counts', async () => {
      const [a, b, c, gone] = [newId(), newId(), newId(), newId()];
      const quiz = newId();
      for (const u of [a, b, c, gone]) await enrol(u, course);
      await enrol(a, newId()); // another course: not counted here
      await completeLesson(b, course, lessons[0], rule);
      await completeLesson(b, course, lessons[1], rule, new Date('2026-02-02T00:00:00Z'));
      await recordQuizResult(b, course, { quizId: quiz, percent: 100, passed: true }, rule);
      await leave(gone, course);
      await touch(a, course, '2026-01-01T00:00:00Z');
      await touch(b, course, '2026-01-03T00:00:00Z');
      await touch(c, course, '2026-01-02T00:00:00Z');

      const first = await membersOf(course, 1, 2);
      expect(first).to.include({ total: 3, pages: 2, page: 1, perPage: 2 });
      expect(first.items.map((m) => m.userId)).to.deep.equal([b, c]);
      expect(first.items[0]).to.deep.equal({
        userId: b,
        completedLessons: 2,
        passedQuizzes: 1,
        completedAt: new Date('2026-02-02T00:00:00Z'),
      });
      expect(first.items[1]).to.include({ completedLessons: 0, passedQuizzes: 0, completedAt: null });
      const second = await membersOf(course, 2, 2);
      expect(second.items.map((m) => m.userId)).to.deep.equal([a]);
      expect((await membersOf(course, 3, 2)).items).to.deep.equal([]);
    });
  });

  describe('enrolling many at once', () => {
    it('more than a thousand people are enrolled across batches, once each, leavers made active again', async () => {
      const people = Array.from({ length: 1005 }, newId);
      await enrol(people[3]!, course);
      await completeLesson(people[3]!, course, lessons[0], rule);
      await leave(people[3]!, course);

      await enrolMany([...people, people[0]!], course);
      expect(
        await Enrolment.countDocuments({ courseId: new Types.ObjectId(course), status: 'active' }),
      ).to.equal(1005);
      const back = (await enrolment(people[3]!, course))!;
      expect(back.status).to.equal('active');
      expect(back.completedLessons.map(String)).to.deep.equal([lessons[0]]);
      expect(await isEnrolled(people[1004]!, course)).to.equal(true);
    });

    it('a past round’s enrolments are dated when it happened; one made earlier keeps its own date', async () => {
      const earlier = newId();
      await enrol(earlier, course);
      const before = (await enrolment(earlier, course))!;
      const since = new Date('2025-11-20T08:00:00Z');
      const fresh = newId();
      await enrolMany([earlier, fresh], course, since);

      const made = (await Enrolment.findOne({ userId: new Types.ObjectId(fresh) }).lean<{
        createdAt: Date;
        updatedAt: Date;
      }>())!;
      expect(made.createdAt.toISOString()).to.equal(since.toISOString());
      expect(made.updatedAt.toISOString()).to.equal(since.toISOString());
      const kept = (await Enrolment.findById(before._id).lean<{ createdAt: Date }>())!;
      expect(kept.createdAt.getTime()).to.be.greaterThan(since.getTime());

      // Reports count enrolments by when they were made: the round's day, not the day it was typed in.
      const window = await enrolmentFacts({
        courseIds: [course],
        from: new Date('2025-11-01T00:00:00Z'),
        to: new Date('2025-12-01T00:00:00Z'),
      });
      expect(window.map((f) => f.userId)).to.deep.equal([fresh]);
    });
  });
});
