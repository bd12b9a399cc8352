import { enrolmentFacts } from '../progress/progress-stats.service.js';
import { attemptedBy, bestResults, firstAttempts } from '../quizzes/attempt-stats.service.js';
import { quizzesOfCourses, type CourseQuizzes } from '../quizzes/quiz-stats.service.js';
import type { ReportRange } from './report-filters.js';
import { keyOf, scoreOf, type EnrolmentFact, type PrePostPair } from './report-figures.js';

/**
 * Everything the reports compute from, for a set of courses and (optionally) members: the cohort's
 * enrolments, who has started a quiz, each member's score, and their pre/post-test pairs. Read fresh on
 * every request: nothing here is kept, so a report is never stale.
 */
export interface Cohort {
  enrolments: EnrolmentFact[];
  quizzes: Map<string, CourseQuizzes>;
  /** "user|course" keys of members who started at least one attempt by the end of the range. */
  attempted: Set<string>;
  /** "user|course" → score (certificate rule), from attempts submitted by the end of the range. */
  scores: Map<string, number>;
  pairs: PrePostPair[];
  /** The end of the range: what happened later does not count. */
  before?: Date;
}

export async function loadCohort(
  courseIds: string[],
  range: ReportRange,
  userIds?: string[],
): Promise<Cohort> {
  const [enrolments, quizzes] = await Promise.all([
    enrolmentFacts({ courseIds, userIds, from: range.from, to: range.to }),
    quizzesOfCourses(courseIds),
  ]);
  const courseOfQuiz = new Map<string, string>();
  const prePostIds: string[] = [];
  for (const q of quizzes.values()) {
    for (const id of [q.pretest, q.posttest, ...q.modules.keys()]) if (id) courseOfQuiz.set(id, q.courseId);
    if (q.pretest && q.posttest) prePostIds.push(q.pretest, q.posttest);
  }
  const quizIds = [...courseOfQuiz.keys()];
  const scope = { quizIds, userIds, before: range.to };
  const [bests, attempted, firsts] = await Promise.all([
    bestResults(scope),
    attemptedBy(scope),
    firstAttempts({ quizIds: prePostIds, userIds }),
  ]);

  const cohort = new Set(enrolments.map((e) => keyOf(e.userId, e.courseId)));
  const bestByKey = new Map<string, Map<string, number>>();
  for (const b of bests) {
    const key = keyOf(b.userId, courseOfQuiz.get(b.quizId)!);
    if (!cohort.has(key)) continue;
    const m = bestByKey.get(key) ?? new Map<string, number>();
    m.set(b.quizId, b.best);
    bestByKey.set(key, m);
  }
  const scores = new Map<string, number>();
  for (const [key, best] of bestByKey) {
    const q = quizzes.get(key.split('|')[1]!)!;
    const score = scoreOf({ posttest: q.posttest, moduleQuizIds: [...q.modules.keys()] }, best);
    if (score !== null) scores.set(key, score);
  }

  const pre = new Map<string, (typeof firsts)[number]>();
  const post = new Map<string, (typeof firsts)[number]>();
  for (const a of firsts) {
    const courseId = courseOfQuiz.get(a.quizId)!;
    const key = keyOf(a.userId, courseId);
    if (!cohort.has(key) || (range.to && a.submittedAt.getTime() >= range.to.getTime())) continue;
    (quizzes.get(courseId)!.pretest === a.quizId ? pre : post).set(key, a);
  }
  const pairs: PrePostPair[] = [];
  for (const [key, p] of pre) {
    const q = post.get(key);
    if (!q) continue;
    const [userId, courseId] = key.split('|') as [string, string];
    pairs.push({
      userId,
      courseId,
      pre: p.percent,
      post: q.percent,
      preGrades: new Map(p.grades.map((g) => [g.questionId, g.fraction])),
      postGrades: new Map(q.grades.map((g) => [g.questionId, g.fraction])),
    });
  }
  return { enrolments, quizzes, attempted, scores, pairs, before: range.to };
}
