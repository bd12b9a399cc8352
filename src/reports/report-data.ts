import { enrolmentFacts, type EnrolmentFact } from '../progress/progress-stats.service.js';
import { firstAttempts } from '../quizzes/attempt-stats.service.js';
import { quizzesOfCourses, type CourseQuizzes } from '../quizzes/quiz-stats.service.js';
import type { ReportRange } from './report-filters.js';
import { keyOf, scoreOf, type PrePostPair } from './report-figures.js';

/**
 * Everything the reports compute from, for a set of courses and (optionally) members: the cohort's
 * enrolments, who has submitted a quiz, each member's score, and their pre/post-test pairs. Read fresh on
 * every request: nothing here is kept, so a report is never stale.
 *
 * Scores and "a quiz submitted" come from the best and first results each enrolment keeps, so they are as
 * of today even when the range ends earlier (those results carry no date); completion and the post-test of
 * a knowledge-gain pair carry their dates and count only until the end of the range.
 */
export interface Cohort {
  enrolments: EnrolmentFact[];
  quizzes: Map<string, CourseQuizzes>;
  /** "user|course" keys of members who have submitted at least one quiz. */
  attempted: Set<string>;
  /** "user|course" → score (certificate rule). */
  scores: Map<string, number>;
  pairs: PrePostPair[];
  /** The end of the range: what happened later does not count. */
  before?: Date;
}

export async function loadCohort(
  courseIds: string[],
  range: ReportRange,
  userIds?: string[],
  options: { questions?: boolean } = {},
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
  const attempted = new Set<string>();
  const scores = new Map<string, number>();
  for (const e of enrolments) {
    const key = keyOf(e.userId, e.courseId);
    if (Object.keys(e.quizFirst).length) attempted.add(key);
    const q = quizzes.get(e.courseId)!;
    const best = new Map(Object.entries(e.quizBest).filter(([, v]) => typeof v === 'number'));
    const score = scoreOf({ posttest: q.posttest, moduleQuizIds: [...q.modules.keys()] }, best);
    if (score !== null) scores.set(key, score);
  }
  // Read by quiz alone (the leading key of the attempts' index) and kept to the cohort here: a list of a
  // round's hundreds of member ids in the query costs the store more than the rows it spares.
  const firsts = await firstAttempts({ quizIds: prePostIds, withGrades: options.questions });
  const cohort = new Set(enrolments.map((e) => keyOf(e.userId, e.courseId)));
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
