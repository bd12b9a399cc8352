/**
 * The reports' fixture: one course whose every figure is worked out by hand in test/reports. Enrolments go
 * through progress.service, attempts through attempts.service (start, answer, submit at a given moment)
 * and then progress.service, as the quiz page does,
 * rounds through rounds.service; only the dates of enrolments and completions are set directly, since
 * the services stamp them with the present moment.
 */
import { Types } from 'mongoose';
import { Course, type CourseDoc } from '../../src/courses/course.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { enrol, leave, recordQuizResult } from '../../src/progress/progress.service.js';
import { findCourse } from '../../src/courses/courses.service.js';
import { completionRule } from '../../src/quizzes/quizzes.service.js';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Quiz, type QuizDoc } from '../../src/quizzes/quiz.model.js';
import { startAttempt, submitAttempt } from '../../src/quizzes/attempts.service.js';
import { User } from '../../src/users/user.model.js';
import { makeMember, makeUser, type TestUser } from './factories.js';

export const at = (iso: string): Date => new Date(iso);

export interface ReportFixture {
  course: CourseDoc;
  modules: [string, string];
  questions: [string, string, string, string];
  quizzes: { pre: QuizDoc; post: QuizDoc; m1: QuizDoc; m2: QuizDoc };
  members: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H', TestUser>;
}

/** Answers a quiz at `when`: `right` lists, per question in the bank's order q1…q4, 1 (right) or 0. */
export async function answer(
  quiz: QuizDoc,
  user: TestUser,
  questions: string[],
  right: (0 | 1)[],
  when: Date,
): Promise<void> {
  const { attempt } = await startAttempt(quiz, user.id, when);
  const form: Record<string, string> = {};
  questions.forEach((q, i) => {
    if (attempt.questions.some((x) => x.id === q)) form[q] = right[i] ? 'true' : 'false';
  });
  const { attempt: done } = await submitAttempt(
    attempt,
    `t-${String(attempt._id)}`,
    form,
    quiz.passMark,
    when,
  );
  // As the quiz page does after a submission: the enrolment keeps the best and the first result.
  const course = (await findCourse(String(quiz.courseId)))!;
  await recordQuizResult(
    user.id,
    String(quiz.courseId),
    { quizId: String(quiz._id), percent: done.percent!, passed: done.passed === true },
    await completionRule(course),
  );
}

/** Sets an enrolment's dates and lesson count, as if it had been made and completed then. */
async function backdate(
  user: TestUser,
  course: CourseDoc,
  enrolledAt: Date,
  completedAt: Date | null,
  lessons: number,
): Promise<void> {
  const lessonIds = course.modules.flatMap((m) => m.lessons.map((l) => l._id)).slice(0, lessons);
  await Enrolment.collection.updateOne(
    { userId: new Types.ObjectId(user.id), courseId: course._id },
    { $set: { createdAt: enrolledAt, completedAt, completedLessons: lessonIds } },
  );
}

export async function makeReportFixture(): Promise<ReportFixture> {
  const m1 = new Types.ObjectId();
  const m2 = new Types.ObjectId();
  const lesson = (n: number) => ({
    _id: new Types.ObjectId(),
    title: { en: `Lesson ${n}` },
    body: { en: 'Text.' },
    attachments: [],
  });
  const course = (
    await Course.create({
      slug: `report-course-${Date.now().toString(36)}`,
      primaryLocale: 'en',
      locales: ['en', 'fa-AF'],
      title: { en: 'Trafficking law', 'fa-AF': 'قانون قاچاق انسان' },
      status: 'published',
      authors: [new Types.ObjectId()],
      modules: [
        { _id: m1, title: { en: 'The law', 'fa-AF': 'قانون' }, lessons: [lesson(1)] },
        { _id: m2, title: { en: 'Advocacy', 'fa-AF': 'دادخواهی' }, lessons: [lesson(2)] },
      ],
    })
  ).toObject() as CourseDoc;
  const tf = (n: number, tags: string[]) => ({
    courseId: course._id,
    type: 'truefalse',
    text: { en: `Statement ${n} is true.`, 'fa-AF': `جملهٔ ${n} درست است.` },
    answer: true,
    tags,
  });
  const qs = await QuestionModel.insertMany([tf(1, ['law']), tf(2, ['law']), tf(3, ['advocacy']), tf(4, [])]);
  const [q1, q2, q3, q4] = qs.map((q) => q._id) as [
    Types.ObjectId,
    Types.ObjectId,
    Types.ObjectId,
    Types.ObjectId,
  ];
  const quiz = async (fields: Record<string, unknown>) =>
    (await Quiz.create({ courseId: course._id, passMark: 60, ...fields })).toObject() as QuizDoc;
  const quizzes = {
    pre: await quiz({ kind: 'pretest', questionIds: [q1, q2, q3, q4] }),
    post: await quiz({ kind: 'posttest', questionIds: [q1, q2, q3, q4] }),
    // Module 1 lists q1 and q2; module 2 draws from the tag of q3; q4 belongs to no module.
    m1: await quiz({ kind: 'module', moduleId: m1, questionIds: [q1, q2] }),
    m2: await quiz({ kind: 'module', moduleId: m2, draws: [{ tag: 'advocacy', count: 1 }] }),
  };
  const members = {} as ReportFixture['members'];
  for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const)
    members[name] = await makeUser({ roles: ['member'], displayName: `Member ${name}` });
  const province = {
    A: 'Kabul',
    B: 'Kabul',
    G: 'Kabul',
    C: 'Herat',
    D: 'Herat',
    E: 'Balkh',
    F: 'Balkh',
    H: 'Balkh',
  };
  for (const [name, p] of Object.entries(province))
    await User.updateOne(
      { _id: members[name as keyof typeof province].id },
      { $set: { province: p, organisation: `Org ${name}` } },
    );
  for (const m of Object.values(members)) await enrol(m.id, String(course._id));
  await leave(members.G.id, String(course._id));

  const questions = [q1, q2, q3, q4].map(String) as ReportFixture['questions'];
  const { A, B, C, D, E, H } = members;
  // Enrolled 08:00 UTC (12:30 in Kabul) on the day; completed 08:00 UTC a whole number of days later.
  await backdate(A, course, at('2026-03-01T08:00:00Z'), at('2026-03-11T08:00:00Z'), 2); // 10 days
  await backdate(B, course, at('2026-03-02T08:00:00Z'), at('2026-03-06T08:00:00Z'), 2); // 4 days
  await backdate(C, course, at('2026-03-03T08:00:00Z'), at('2026-03-23T08:00:00Z'), 2); // 20 days
  await backdate(members.G, course, at('2026-03-05T08:00:00Z'), null, 0);
  await backdate(D, course, at('2026-04-01T08:00:00Z'), null, 0);
  await backdate(members.F, course, at('2026-04-02T08:00:00Z'), null, 0);
  await backdate(H, course, at('2026-04-03T08:00:00Z'), null, 1);
  await backdate(E, course, at('2026-04-05T08:00:00Z'), at('2026-04-12T08:00:00Z'), 2); // 7 days

  const { pre, post } = quizzes;
  await answer(pre, A, questions, [0, 1, 0, 0], at('2026-03-01T09:00:00Z')); // 25
  await answer(post, A, questions, [1, 1, 1, 1], at('2026-03-10T06:00:00Z')); // 100
  await answer(pre, B, questions, [1, 1, 0, 0], at('2026-03-02T09:00:00Z')); // 50
  await answer(post, B, questions, [1, 1, 1, 0], at('2026-03-05T06:00:00Z')); // 75 (first)
  await answer(post, B, questions, [1, 1, 1, 1], at('2026-03-06T06:00:00Z')); // 100 (best)
  await answer(pre, C, questions, [1, 1, 1, 1], at('2026-03-03T09:00:00Z')); // 100
  await answer(post, C, questions, [1, 1, 0, 1], at('2026-03-20T06:00:00Z')); // 75
  await answer(pre, D, questions, [0, 0, 0, 0], at('2026-04-01T09:00:00Z')); // 0, no post-test
  await answer(quizzes.m1, E, questions, [1, 0, 0, 0], at('2026-04-06T09:00:00Z')); // 50
  await answer(quizzes.m2, E, questions, [0, 0, 1, 0], at('2026-04-07T09:00:00Z')); // 100
  return { course, modules: [String(m1), String(m2)], questions, quizzes, members };
}

export const makeStaff = (role: 'coordinator' | 'admin' | 'trainer' | 'member') =>
  role === 'member' ? makeMember() : makeUser({ roles: [role] });
