/**
 * The arithmetic of the reports, apart from any database: each figure from the facts the services read, so
 * the definitions live in one place and the tests can check them by hand. Percentages are 0 … 100; nothing
 * is rounded here (pages and exports round as they show).
 */

export interface EnrolmentFact {
  userId: string;
  courseId: string;
  enrolledAt: Date;
  completedAt: Date | null;
  lessonsDone: number;
}

/** "userId|courseId": one member in one course. */
export const keyOf = (userId: string, courseId: string): string => `${userId}|${courseId}`;

export const mean = (xs: number[]): number | null =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const DAY_MS = 86_400_000;

/** Completed by the end of the range (an enrolment completed later was still under way then). */
export function isCompleted(e: EnrolmentFact, before?: Date): boolean {
  return e.completedAt !== null && (!before || e.completedAt.getTime() < before.getTime());
}

export type MemberStatus = 'notStarted' | 'inProgress' | 'completed';

export function statusOf(e: EnrolmentFact, attempted: ReadonlySet<string>, before?: Date): MemberStatus {
  if (isCompleted(e, before)) return 'completed';
  return e.lessonsDone > 0 || attempted.has(keyOf(e.userId, e.courseId)) ? 'inProgress' : 'notStarted';
}

export interface CourseFigures {
  enrolled: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  /** completed ÷ enrolled × 100; null with nobody enrolled. */
  completionRate: number | null;
  /** Mean of the members' scores (certificate rule), over those who have one. */
  averageBestScore: number | null;
  scored: number;
  /** Median of completedAt − enrolment, in days. */
  medianDaysToComplete: number | null;
}

export function courseFigures(
  enrolments: EnrolmentFact[],
  attempted: ReadonlySet<string>,
  scores: ReadonlyMap<string, number>,
  before?: Date,
): CourseFigures {
  const counts = { notStarted: 0, inProgress: 0, completed: 0 };
  const days: number[] = [];
  const scored: number[] = [];
  for (const e of enrolments) {
    const status = statusOf(e, attempted, before);
    counts[status] += 1;
    if (status === 'completed') days.push((e.completedAt!.getTime() - e.enrolledAt.getTime()) / DAY_MS);
    const score = scores.get(keyOf(e.userId, e.courseId));
    if (score !== undefined) scored.push(score);
  }
  const enrolled = enrolments.length;
  return {
    enrolled,
    ...counts,
    completionRate: enrolled ? (counts.completed / enrolled) * 100 : null,
    averageBestScore: mean(scored),
    scored: scored.length,
    medianDaysToComplete: median(days),
  };
}

/** A course's quizzes as the score rule needs them. */
export interface ScoredQuizzes {
  posttest: string | null;
  moduleQuizIds: string[];
}

/**
 * A member's score in a course, as their certificate states it: the best post-test percent when the
 * course has a post-test they have taken, else the mean of their best module-quiz percents; none if
 * they have taken neither.
 */
export function scoreOf(quizzes: ScoredQuizzes, best: ReadonlyMap<string, number>): number | null {
  if (quizzes.posttest && best.has(quizzes.posttest)) return best.get(quizzes.posttest)!;
  return mean(quizzes.moduleQuizIds.flatMap((q) => (best.has(q) ? [best.get(q)!] : [])));
}

/** One member's first pre-test and first post-test in one course. */
export interface PrePostPair {
  userId: string;
  courseId: string;
  pre: number;
  post: number;
  preGrades: ReadonlyMap<string, number>;
  postGrades: ReadonlyMap<string, number>;
}

export interface GainSummary {
  pairs: number;
  meanPre: number | null;
  meanPost: number | null;
  /** mean post − mean pre, in percentage points (= the mean of the individual raw gains). */
  meanRawGain: number | null;
  /** Hake's class-average normalised gain ⟨g⟩ = (mean post − mean pre) ÷ (100 − mean pre). */
  hakeGain: number | null;
  /** Mean of individual g = (post − pre) ÷ (100 − pre), over members whose pre-test was below 100. */
  meanIndividualGain: number | null;
  individualCount: number;
}

/** (post − pre) ÷ (100 − pre); undefined at a perfect pre-score, where there was nothing left to gain. */
export const normalisedGain = (pre: number, post: number): number | null =>
  pre < 100 ? (post - pre) / (100 - pre) : null;

export function gainSummary(pairs: { pre: number; post: number }[]): GainSummary {
  const meanPre = mean(pairs.map((p) => p.pre));
  const meanPost = mean(pairs.map((p) => p.post));
  const individual = pairs.flatMap((p) => {
    const g = normalisedGain(p.pre, p.post);
    return g === null ? [] : [g];
  });
  return {
    pairs: pairs.length,
    meanPre,
    meanPost,
    meanRawGain: meanPre === null || meanPost === null ? null : meanPost - meanPre,
    hakeGain: meanPre === null || meanPost === null ? null : normalisedGain(meanPre, meanPost),
    meanIndividualGain: mean(individual),
    individualCount: individual.length,
  };
}

export interface ItemGain {
  /** A question id, or a module id ('' for general questions). */
  id: string;
  /** Mean share of the points earned × 100, on the pre-test and on the post-test. */
  preCorrect: number | null;
  postCorrect: number | null;
  /** Answers counted (pairs that were asked the question; for a module, question-answers). */
  preCount: number;
  postCount: number;
  gain: number | null;
  /** (post − pre) ÷ (100 − pre) of the percent correct. */
  normalised: number | null;
}

function itemGain(id: string, pre: number[], post: number[]): ItemGain {
  const preCorrect = mean(pre.map((f) => f * 100));
  const postCorrect = mean(post.map((f) => f * 100));
  const both = preCorrect !== null && postCorrect !== null;
  return {
    id,
    preCorrect,
    postCorrect,
    preCount: pre.length,
    postCount: post.length,
    gain: both ? postCorrect - preCorrect : null,
    normalised: both ? normalisedGain(preCorrect, postCorrect) : null,
  };
}

/**
 * Per question and per module, among the pairs only: the share correct on the pre-test and on the
 * post-test. A question drawn at random is counted for the members who were asked it.
 */
export function itemGains(
  pairs: PrePostPair[],
  moduleOf: (questionId: string) => string,
): { questions: ItemGain[]; modules: ItemGain[] } {
  const byQuestion = new Map<string, { pre: number[]; post: number[] }>();
  const slot = (id: string) => {
    let s = byQuestion.get(id);
    if (!s) byQuestion.set(id, (s = { pre: [], post: [] }));
    return s;
  };
  for (const p of pairs) {
    for (const [q, f] of p.preGrades) slot(q).pre.push(f);
    for (const [q, f] of p.postGrades) slot(q).post.push(f);
  }
  const byModule = new Map<string, { pre: number[]; post: number[] }>();
  for (const [q, s] of byQuestion) {
    const m = moduleOf(q);
    const bucket = byModule.get(m) ?? { pre: [], post: [] };
    bucket.pre.push(...s.pre);
    bucket.post.push(...s.post);
    byModule.set(m, bucket);
  }
  return {
    questions: [...byQuestion].map(([id, s]) => itemGain(id, s.pre, s.post)),
    modules: [...byModule].map(([id, s]) => itemGain(id, s.pre, s.post)),
  };
}
