import { findCourse } from '../../courses/courses.service.js';
import { completeLesson, recordQuizResult, type CompletionRule } from '../../progress/progress.service.js';
import { saveAnswer, startAttempt, submitAttempt } from '../../quizzes/attempts.service.js';
import { paperForm, recordPaperAnswers } from '../../quizzes/paper-tests.service.js';
import { completionRule, findQuiz, type QuizDoc } from '../../quizzes/quizzes.service.js';
import type { DemoCourse } from './content.js';
import { answersScoring, seededRandom } from './answers.js';
import { ROUND } from './round.js';

/**
 * The round as it went: members at different stages of each course, replayed through the same services
 * the pages use (lessons completed, quizzes started, answered and submitted, paper pre-tests typed in),
 * at times within the round's four days, so reports, knowledge gain and certificates show real numbers.
 */

export interface CoursePlan {
  /** Pre-test score aimed at, in percent; absent: not taken. */
  pre?: number;
  /** The pre-test was taken on paper and typed in by the coordinator. */
  paper?: boolean;
  /** Modules done from the start: every lesson read and the module quiz passed. */
  modules?: number;
  /** Lessons read in the next module, its quiz not yet taken. */
  more?: number;
  /** Post-test attempts, the score aimed at in each. */
  post?: number[];
}

type Plans = Record<string, { advocacy?: CoursePlan; tip?: CoursePlan }>;

/** By member: the advocacy course is the round's own; the TIP course is followed by fewer, and less far. */
export const PLANS: Plans = {
  'member1@demo.sabaq': { advocacy: { pre: 40, more: 2 }, tip: { pre: 40, more: 1 } },
  'member2@demo.sabaq': {
    advocacy: { pre: 50, modules: 4, post: [90] },
    tip: { pre: 60, modules: 4, post: [90] },
  },
  'nasrin.karimi@demo.sabaq': {
    advocacy: { pre: 60, modules: 4, post: [100] },
    tip: { pre: 70, modules: 4, post: [100] },
  },
  'jawad.sultani@demo.sabaq': {
    advocacy: { pre: 40, paper: true, modules: 4, post: [80] },
    tip: { pre: 40, modules: 2 },
  },
  'mursal.amiri@demo.sabaq': { advocacy: { pre: 50, modules: 4, post: [90] }, tip: { pre: 50 } },
  'habibullah.mangal@demo.sabaq': { advocacy: { pre: 30, paper: true, modules: 3 } },
  'laila.nazari@demo.sabaq': { advocacy: { pre: 50, modules: 4, post: [75] }, tip: { pre: 50, modules: 1 } },
  'samiullah.shinwari@demo.sabaq': { advocacy: { pre: 40, modules: 4, post: [50] }, tip: { pre: 30 } },
  'wazhma.achakzai@demo.sabaq': {
    advocacy: { pre: 60, paper: true, modules: 4, post: [90] },
    tip: { pre: 60 },
  },
  'rahmatullah.popal@demo.sabaq': { advocacy: { pre: 30, modules: 2 } },
  'farzana.yaqubi@demo.sabaq': { advocacy: { pre: 50, modules: 4, post: [60, 80] }, tip: { pre: 40 } },
  'bashir.hotak@demo.sabaq': { advocacy: { pre: 40 } },
  'tahmina.rezaei@demo.sabaq': {
    advocacy: { pre: 70, modules: 4, post: [100] },
    tip: { pre: 50, modules: 4, post: [80] },
  },
  'omid.barakzai@demo.sabaq': {},
};

/** A moment of the round in Kabul time: day 0 is its first day. */
function at(day: number, hour: number, minute: number): Date {
  const d = new Date(`${ROUND.startDate}T00:00:00+04:30`);
  return new Date(d.getTime() + ((day * 24 + hour) * 60 + minute) * 60_000);
}

interface Context {
  course: DemoCourse;
  rule: CompletionRule;
  userId: string;
  random: () => number;
}

async function quizOf(
  ctx: Context,
  kind: QuizDoc['kind'],
  moduleIndex: number | null = null,
): Promise<QuizDoc> {
  const ref = ctx.course.quizzes.find((q) => q.kind === kind && q.moduleIndex === moduleIndex)!;
  return (await findQuiz(ctx.course.id, ref.id))!;
}

async function record(ctx: Context, quiz: QuizDoc, percent: number, passed: boolean, when: Date) {
  await recordQuizResult(
    ctx.userId,
    ctx.course.id,
    { quizId: String(quiz._id), percent, passed },
    ctx.rule,
    when,
  );
}

/** One online attempt: started, answered a question a minute, submitted. */
async function takeOnline(ctx: Context, quiz: QuizDoc, percent: number, start: Date): Promise<number> {
  const { attempt } = await startAttempt(quiz, ctx.userId, start);
  const answers = answersScoring(attempt.questions, percent, ctx.random);
  let when = start;
  for (const [questionId, raw] of Object.entries(answers)) {
    when = new Date(when.getTime() + 60_000);
    await saveAnswer(attempt, questionId, raw, when.getTime(), when);
  }
  const done = new Date(when.getTime() + 60_000);
  const sub = await submitAttempt(attempt, `demo:${String(attempt._id)}`, undefined, quiz.passMark, done);
  await record(ctx, quiz, sub.attempt.percent ?? 0, sub.attempt.passed === true, done);
  return sub.attempt.percent ?? 0;
}

/** A pre-test answered on paper on the first day and typed in by the round's coordinator. */
async function takeOnPaper(
  ctx: Context,
  quiz: QuizDoc,
  percent: number,
  roundId: string,
  coordinatorId: string,
) {
  const form = await paperForm(quiz, roundId);
  const takenAt = new Date(`${ROUND.startDate}T00:00:00Z`);
  const raw = answersScoring(form.questions, percent, ctx.random);
  const entry = await recordPaperAnswers(quiz, form, ctx.userId, raw, coordinatorId, takenAt);
  await record(ctx, quiz, entry.attempt.percent ?? 0, entry.attempt.passed === true, takenAt);
}

/** A module quiz passed, after a failed first try now and then. */
async function passModuleQuiz(ctx: Context, quiz: QuizDoc, start: Date): Promise<void> {
  if (ctx.random() < 0.2) await takeOnline(ctx, quiz, 40, start);
  const score = [70, 80, 90, 100][Math.floor(ctx.random() * 4)]!;
  await takeOnline(ctx, quiz, score, new Date(start.getTime() + 20 * 60_000));
}

export async function followPlan(
  course: DemoCourse,
  userId: string,
  plan: CoursePlan,
  slot: number,
  round: { id: string; coordinatorId: string },
): Promise<void> {
  const doc = (await findCourse(course.id))!;
  const ctx: Context = {
    course,
    rule: await completionRule(doc),
    userId,
    random: seededRandom(slot * 7919 + 17),
  };
  // The TIP course is taken in the afternoons, the advocacy course in the mornings.
  const hour = course.slug.startsWith('tip') ? 14 : 9;
  if (plan.pre !== undefined) {
    const quiz = await quizOf(ctx, 'pretest');
    if (plan.paper) await takeOnPaper(ctx, quiz, plan.pre, round.id, round.coordinatorId);
    else await takeOnline(ctx, quiz, plan.pre, at(0, hour, slot * 3));
  }
  const modules = plan.modules ?? 0;
  for (let m = 0; m < course.lessons.length && m <= modules; m += 1) {
    const day = Math.min(m, 3);
    const lessons = m < modules ? course.lessons[m]! : course.lessons[m]!.slice(0, plan.more ?? 0);
    for (const [i, lessonId] of lessons.entries())
      await completeLesson(userId, course.id, lessonId, ctx.rule, at(day, hour + 1, i * 25 + slot));
    if (m < modules)
      await passModuleQuiz(ctx, await quizOf(ctx, 'module', m), at(day, hour + 2, 30 + slot * 2));
  }
  for (const [n, score] of (plan.post ?? []).entries())
    await takeOnline(ctx, await quizOf(ctx, 'posttest'), score, at(3, hour + 3, slot * 3 + n * 45));
}
