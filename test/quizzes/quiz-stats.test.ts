import { expect } from 'chai';
import { Types } from 'mongoose';
import { Attempt } from '../../src/quizzes/attempt.model.js';
import {
  firstAttempts,
  recentSubmissions,
  submittedAttemptsOf,
} from '../../src/quizzes/attempt-stats.service.js';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Quiz } from '../../src/quizzes/quiz.model.js';
import { questionsWithModules, quizLabels, quizzesOfCourses } from '../../src/quizzes/quiz-stats.service.js';
import { connectTestDb } from '../helpers/app-harness.js';

const oid = () => new Types.ObjectId();
const hex = (id: Types.ObjectId) => id.toHexString();

describe('what reports read of quizzes and question banks', () => {
  before(connectTestDb);

  it('each course asked for has an entry with its pre-test, post-test and module quizzes, even with none or a malformed id', async () => {
    const [course, bare, foreign] = [oid(), oid(), oid()];
    const [m1, m2] = [oid(), oid()];
    const [pre, post, q1, q2] = await Quiz.insertMany([
      { courseId: course, kind: 'pretest' },
      { courseId: course, kind: 'posttest' },
      { courseId: course, kind: 'module', moduleId: m1 },
      { courseId: course, kind: 'module', moduleId: m2 },
      { courseId: foreign, kind: 'pretest' },
    ]);
    const map = await quizzesOfCourses([hex(course), hex(bare), 'not-an-id']);
    expect([...map.keys()]).to.deep.equal([hex(course), hex(bare), 'not-an-id']);
    const entry = map.get(hex(course))!;
    expect(entry).to.include({
      courseId: hex(course),
      pretest: String(pre!._id),
      posttest: String(post!._id),
    });
    expect([...entry.modules]).to.have.deep.members([
      [String(q1!._id), hex(m1)],
      [String(q2!._id), hex(m2)],
    ]);
    expect(map.get(hex(bare))).to.deep.include({ pretest: null, posttest: null });
    expect(map.get(hex(bare))!.modules.size).to.equal(0);
    expect((await quizzesOfCourses([])).size).to.equal(0);
  });

  it('quiz labels give each quiz’s kind and title by id, an empty title when it has none, and skip unknown or malformed ids', async () => {
    const course = oid();
    const [titled, untitled] = await Quiz.insertMany([
      { courseId: course, kind: 'posttest', title: { en: 'Final check', 'fa-AF': 'آزمون نهایی' } },
      { courseId: course, kind: 'module', moduleId: oid() },
    ]);
    const labels = await quizLabels([String(titled!._id), String(untitled!._id), hex(oid()), 'bad']);
    expect(labels.size).to.equal(2);
    expect(labels.get(String(titled!._id))).to.deep.include({ kind: 'posttest' });
    expect(labels.get(String(titled!._id))!.title).to.include({ en: 'Final check', 'fa-AF': 'آزمون نهایی' });
    expect(labels.get(String(untitled!._id))!.kind).to.equal('module');
    expect(Object.values(labels.get(String(untitled!._id))!.title).join('')).to.equal('');
    expect((await quizLabels([])).size).to.equal(0);
  });

  it('a bank question belongs to the first module, in course order, whose quiz lists it or draws its tag; else to none', async () => {
    const course = oid();
    const [early, late, gone] = [oid(), oid(), oid()];
    const [listed, drawn, both, loose, elsewhere] = await QuestionModel.insertMany([
      { courseId: course, type: 'truefalse', name: 'Listed', text: { en: 'L' }, answer: true, tags: [] },
      { courseId: course, type: 'truefalse', text: { en: 'Drawn' }, answer: true, tags: ['report'] },
      { courseId: course, type: 'truefalse', text: { en: 'Both' }, answer: true, tags: ['law'] },
      { courseId: course, type: 'truefalse', text: { en: 'Loose' }, answer: true, tags: ['other'] },
      { courseId: oid(), type: 'truefalse', text: { en: 'Elsewhere' }, answer: true, tags: ['report'] },
    ]);
    await Quiz.insertMany([
      // Stored first, but its module comes later in the course.
      {
        courseId: course,
        kind: 'module',
        moduleId: late,
        questionIds: [both!._id],
        draws: [{ tag: 'report', count: 1 }],
      },
      {
        courseId: course,
        kind: 'module',
        moduleId: early,
        questionIds: [listed!._id],
        draws: [{ tag: 'law', count: 1 }],
      },
      // A module no longer in the course counts only after those that are.
      { courseId: course, kind: 'module', moduleId: gone, questionIds: [loose!._id] },
      { courseId: course, kind: 'posttest', questionIds: [loose!._id, listed!._id] },
    ]);
    const map = await questionsWithModules(hex(course), [hex(early), hex(late)]);
    expect(map.size).to.equal(4);
    expect(map.get(String(listed!._id))).to.deep.equal({
      id: String(listed!._id),
      name: 'Listed',
      text: { en: 'L', 'fa-AF': '', 'ps-AF': '' },
      moduleId: hex(early),
    });
    expect(map.get(String(drawn!._id))!.moduleId).to.equal(hex(late));
    expect(map.get(String(both!._id))!.moduleId).to.equal(hex(early));
    expect(map.get(String(loose!._id))!.moduleId).to.equal(hex(gone));
    expect(map.has(String(elsewhere!._id))).to.equal(false);
    expect((await questionsWithModules('not-an-id', [])).size).to.equal(0);

    // With no module quiz at all, every question is "general".
    const plain = oid();
    await QuestionModel.create({ courseId: plain, type: 'truefalse', text: { en: 'Q' }, answer: true });
    const general = [...(await questionsWithModules(hex(plain), [])).values()];
    expect(general.map((q) => q.moduleId)).to.deep.equal([null]);
  });

  describe('attempts', () => {
    const [course, otherCourse, pre, post, alice, bob] = [oid(), oid(), oid(), oid(), oid(), oid()];
    let n = 0;
    const attempt = (fields: Record<string, unknown>) => ({
      courseId: course,
      startedAt: new Date(Date.UTC(2026, 2, 1)),
      questions: [{ id: 'q1' }],
      submitToken: `t${++n}`,
      ...fields,
    });
    const at = (day: number) => new Date(Date.UTC(2026, 2, day));
    const grades = (fraction: number) => [{ questionId: 'q1', score: fraction, fraction, feedback: null }];

    beforeEach(async () => {
      await Attempt.insertMany([
        attempt({
          quizId: pre,
          userId: alice,
          number: 1,
          status: 'submitted',
          percent: 40,
          passed: false,
          submittedAt: at(2),
          grades: grades(0.4),
        }),
        attempt({
          quizId: pre,
          userId: alice,
          number: 2,
          status: 'submitted',
          percent: 90,
          passed: true,
          submittedAt: at(3),
          grades: grades(0.9),
        }),
        attempt({
          quizId: post,
          userId: alice,
          number: 1,
          status: 'submitted',
          percent: 80,
          passed: true,
          submittedAt: at(9),
          grades: grades(0.8),
          paperKey: 'A',
        }),
        attempt({ quizId: pre, userId: bob, number: 1, status: 'open' }),
        attempt({
          quizId: post,
          userId: bob,
          number: 1,
          status: 'submitted',
          percent: 55,
          passed: false,
          submittedAt: at(5),
          grades: grades(0.55),
        }),
        attempt({
          quizId: oid(),
          courseId: otherCourse,
          userId: bob,
          number: 1,
          status: 'submitted',
          percent: 70,
          passed: true,
          submittedAt: at(7),
        }),
      ]);
    });

    it('first attempts are each member’s submitted attempt number 1, for the quizzes and members asked, grades only when asked', async () => {
      const all = await firstAttempts({ quizIds: [hex(pre), hex(post), 'bad'] });
      expect(all.map((a) => [a.userId, a.quizId, a.percent])).to.have.deep.members([
        [hex(alice), hex(pre), 40],
        [hex(alice), hex(post), 80],
        [hex(bob), hex(post), 55],
      ]);
      expect(all.every((a) => a.grades.length === 0)).to.equal(true);
      const alices = await firstAttempts({ quizIds: [hex(pre)], userIds: [hex(alice)], withGrades: true });
      expect(alices).to.deep.equal([
        {
          userId: hex(alice),
          quizId: hex(pre),
          percent: 40,
          submittedAt: at(2),
          grades: [{ questionId: 'q1', fraction: 0.4 }],
        },
      ]);
      expect(await firstAttempts({ quizIds: [hex(pre)], userIds: [] })).to.deep.equal([]);
      expect(await firstAttempts({ quizIds: [] })).to.deep.equal([]);
    });

    it('a member’s submitted attempts come oldest first across courses; an unknown or malformed member has none', async () => {
      const bobs = await submittedAttemptsOf(hex(bob));
      expect(bobs.map((a) => [a.courseId, a.percent, a.passed, a.number])).to.deep.equal([
        [hex(course), 55, false, 1],
        [hex(otherCourse), 70, true, 1],
      ]);
      expect(bobs[0]!.submittedAt).to.deep.equal(at(5));
      expect((await submittedAttemptsOf(hex(alice))).map((a) => a.percent)).to.deep.equal([40, 90, 80]);
      expect(await submittedAttemptsOf(hex(oid()))).to.deep.equal([]);
      expect(await submittedAttemptsOf('nobody')).to.deep.equal([]);
    });

    it('recent submissions at the given courses come newest first, up to the limit, telling the ones taken on paper', async () => {
      const recent = await recentSubmissions([hex(course)]);
      expect(recent.map((r) => [r.userId, r.percent, r.onPaper])).to.deep.equal([
        [hex(alice), 80, true],
        [hex(bob), 55, false],
        [hex(alice), 90, false],
        [hex(alice), 40, false],
      ]);
      expect(recent[0]).to.include({ courseId: hex(course), quizId: hex(post), passed: true });
      expect(recent[0]!.attemptId).to.match(/^[0-9a-f]{24}$/);
      const two = await recentSubmissions([hex(course), hex(otherCourse)], 2);
      expect(two.map((r) => r.percent)).to.deep.equal([80, 70]);
      expect(await recentSubmissions(['bad'])).to.deep.equal([]);
      expect(await recentSubmissions([])).to.deep.equal([]);
    });
  });
});
