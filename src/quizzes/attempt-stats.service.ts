import { Types } from 'mongoose';
import { Attempt } from './attempt.model.js';

/**
 * Attempts as reports and a trainer's desk read them. Best results per member and quiz are kept on each enrolment
 * (progress.service), so reports never read every attempt: only first attempts, for knowledge gain.
 */

const oids = (ids: string[]) =>
  ids.filter((i) => Types.ObjectId.isValid(i)).map((i) => new Types.ObjectId(i));

export interface FirstAttempt {
  userId: string;
  quizId: string;
  percent: number;
  submittedAt: Date;
  /** Points earned ÷ points possible per question (0 … 1), by the bank question's id; empty unless asked for. */
  grades: { questionId: string; fraction: number }[];
}

/**
 * Each member's first attempt at each quiz, once submitted, with its per-question results: what a
 * pre-test and a post-test measured the first time. The first is attempt number 1: numbers are given in
 * order at start, and a member has one open attempt at a time, which is submitted (or, past its time,
 * graded) before the next can start. Read with a projection on the attempts' index (quizId first), so
 * only the results travel: no frozen questions, answers or feedback.
 */
export async function firstAttempts(scope: {
  quizIds: string[];
  userIds?: string[];
  /** The per-question results too (only a knowledge-gain page needs them; they are most of the data). */
  withGrades?: boolean;
}): Promise<FirstAttempt[]> {
  if (!scope.quizIds.length) return [];
  const filter: Record<string, unknown> = {
    quizId: { $in: oids(scope.quizIds) },
    number: 1,
    status: 'submitted',
  };
  if (scope.userIds) filter.userId = { $in: oids(scope.userIds) };
  const rows = await Attempt.find(filter, {
    _id: 0,
    userId: 1,
    quizId: 1,
    percent: 1,
    submittedAt: 1,
    ...(scope.withGrades ? { 'grades.questionId': 1, 'grades.fraction': 1 } : {}),
  }).lean<
    {
      userId: Types.ObjectId;
      quizId: Types.ObjectId;
      percent: number;
      submittedAt: Date;
      grades?: { questionId: string; fraction: number }[] | null;
    }[]
  >();
  return rows.map((r) => ({
    userId: String(r.userId),
    quizId: String(r.quizId),
    percent: r.percent,
    submittedAt: r.submittedAt,
    grades: (r.grades ?? []).map((g) => ({ questionId: String(g.questionId), fraction: Number(g.fraction) })),
  }));
}

export interface SubmittedAttempt {
  quizId: string;
  courseId: string;
  number: number;
  percent: number;
  passed: boolean;
  submittedAt: Date;
}

/** A member's submitted attempts, oldest first, for their timeline. */
export async function submittedAttemptsOf(userId: string): Promise<SubmittedAttempt[]> {
  if (!Types.ObjectId.isValid(userId)) return [];
  const rows = await Attempt.find(
    { userId: new Types.ObjectId(userId), status: 'submitted' },
    { quizId: 1, courseId: 1, number: 1, percent: 1, passed: 1, submittedAt: 1 },
  )
    .sort({ submittedAt: 1 })
    .limit(2000)
    .lean<
      {
        quizId: Types.ObjectId;
        courseId: Types.ObjectId;
        number: number;
        percent: number;
        passed: boolean;
        submittedAt: Date;
      }[]
    >();
  return rows.map((a) => ({
    quizId: String(a.quizId),
    courseId: String(a.courseId),
    number: a.number,
    percent: a.percent,
    passed: a.passed,
    submittedAt: a.submittedAt,
  }));
}

/** The latest submissions at these courses' quizzes, as a trainer's home page lists them. */
export interface RecentSubmission {
  attemptId: string;
  userId: string;
  courseId: string;
  quizId: string;
  percent: number;
  passed: boolean;
  submittedAt: Date;
  onPaper: boolean;
}

/** The latest submitted attempts at the quizzes of these courses, newest first. */
export async function recentSubmissions(courseIds: string[], limit = 10): Promise<RecentSubmission[]> {
  const ids = oids(courseIds);
  if (!ids.length) return [];
  const rows = await Attempt.find(
    { courseId: { $in: ids }, status: 'submitted' },
    { userId: 1, courseId: 1, quizId: 1, percent: 1, passed: 1, submittedAt: 1, paperKey: 1 },
  )
    .sort({ submittedAt: -1, _id: -1 })
    .limit(limit)
    .lean();
  return rows.map((a) => ({
    attemptId: String(a._id),
    userId: String(a.userId),
    courseId: String(a.courseId),
    quizId: String(a.quizId),
    percent: a.percent ?? 0,
    passed: a.passed === true,
    submittedAt: a.submittedAt!,
    onPaper: typeof a.paperKey === 'string',
  }));
}
