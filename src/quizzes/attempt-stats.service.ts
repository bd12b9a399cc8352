import { Types } from 'mongoose';
import { Attempt } from './attempt.model.js';

/**
 * Attempts as reports read them. Each query is a short aggregation that starts with a $match on quizId
 * (the leading key of the attempts' index) and groups in the store, so a report over tens of thousands
 * of attempts moves one row per member and quiz, never the attempts themselves.
 */

const oids = (ids: string[]) =>
  ids.filter((i) => Types.ObjectId.isValid(i)).map((i) => new Types.ObjectId(i));

export interface AttemptScope {
  quizIds: string[];
  /** Only these members (a round's); absent: everyone. */
  userIds?: string[];
  /** Only attempts submitted (or, for attemptedBy, started) before this instant. */
  before?: Date;
}

function matchOf(scope: AttemptScope, field: 'submittedAt' | 'startedAt', submittedOnly: boolean) {
  const match: Record<string, unknown> = { quizId: { $in: oids(scope.quizIds) } };
  if (scope.userIds) match.userId = { $in: oids(scope.userIds) };
  if (submittedOnly) match.status = 'submitted';
  if (scope.before) match[field] = { $lt: scope.before };
  return match;
}

export interface BestResult {
  userId: string;
  quizId: string;
  best: number;
}

/** Each member's best percent at each quiz, over their submitted attempts. */
export async function bestResults(scope: AttemptScope): Promise<BestResult[]> {
  if (!scope.quizIds.length) return [];
  const rows = await Attempt.aggregate<{ _id: { u: Types.ObjectId; q: Types.ObjectId }; best: number }>([
    { $match: matchOf(scope, 'submittedAt', true) },
    { $group: { _id: { u: '$userId', q: '$quizId' }, best: { $max: '$percent' } } },
  ]);
  return rows.map((r) => ({ userId: String(r._id.u), quizId: String(r._id.q), best: r.best }));
}

/**
 * Who started at least one attempt (submitted or not) at any of the quizzes, as "userId|courseId" keys:
 * a member can be under way in one course and not in another.
 */
export async function attemptedBy(scope: AttemptScope): Promise<Set<string>> {
  if (!scope.quizIds.length) return new Set();
  const rows = await Attempt.aggregate<{ _id: { u: Types.ObjectId; c: Types.ObjectId } }>([
    { $match: matchOf(scope, 'startedAt', false) },
    { $group: { _id: { u: '$userId', c: '$courseId' } } },
  ]);
  return new Set(rows.map((r) => `${String(r._id.u)}|${String(r._id.c)}`));
}

export interface FirstAttempt {
  userId: string;
  quizId: string;
  percent: number;
  submittedAt: Date;
  /** Points earned ÷ points possible per question (0 … 1), by the bank question's id. */
  grades: { questionId: string; fraction: number }[];
}

/**
 * Each member's first submitted attempt at each quiz, with its per-question results: what a pre-test and
 * a post-test measured the first time (see the reports' notes on why the first).
 */
export async function firstAttempts(scope: Omit<AttemptScope, 'before'>): Promise<FirstAttempt[]> {
  if (!scope.quizIds.length) return [];
  const rows = await Attempt.aggregate<{
    _id: { u: Types.ObjectId; q: Types.ObjectId };
    percent: number;
    submittedAt: Date;
    grades: { questionId: string; fraction: number }[] | null;
  }>([
    { $match: matchOf(scope, 'submittedAt', true) },
    // Only the results travel: no frozen questions, answers or feedback.
    {
      $project: {
        userId: 1,
        quizId: 1,
        percent: 1,
        submittedAt: 1,
        number: 1,
        grades: { questionId: 1, fraction: 1 },
      },
    },
    // The attempt number breaks ties between attempts submitted in the same millisecond.
    { $sort: { submittedAt: 1, number: 1 } },
    {
      $group: {
        _id: { u: '$userId', q: '$quizId' },
        percent: { $first: '$percent' },
        submittedAt: { $first: '$submittedAt' },
        grades: { $first: '$grades' },
      },
    },
  ]);
  return rows.map((r) => ({
    userId: String(r._id.u),
    quizId: String(r._id.q),
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
