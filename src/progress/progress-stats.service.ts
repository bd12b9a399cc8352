import { Types } from 'mongoose';
import { Enrolment } from './enrolment.model.js';

/**
 * Enrolments as the reports read them: one small row each (a lesson count instead of the lesson ids), so
 * a report over thousands of members moves little data. Each holds its member's best and first result
 * per quiz, which spares reports from reading every attempt. Read-only; the rules that change enrolments are in
 * progress.service.
 */

export interface EnrolmentFact {
  userId: string;
  courseId: string;
  status: 'active' | 'left';
  enrolledAt: Date;
  completedAt: Date | null;
  lessonsDone: number;
  /** Best and first percent per quiz id, as each submitted attempt left them (progress.service). */
  quizBest: Record<string, number>;
  quizFirst: Record<string, number>;
}

export interface EnrolmentQuery {
  courseIds?: string[];
  userIds?: string[];
  /** Enrolled at or after this instant. */
  from?: Date;
  /** Enrolled before this instant. */
  to?: Date;
  /** Leavers too (a person's timeline); reports count active enrolments only. */
  includeLeft?: boolean;
}

const oids = (ids: string[]) =>
  ids.filter((i) => Types.ObjectId.isValid(i)).map((i) => new Types.ObjectId(i));

interface FactRow {
  userId: Types.ObjectId;
  courseId: Types.ObjectId;
  status: 'active' | 'left';
  createdAt: Date;
  completedAt: Date | null;
  lessonsDone: number;
  quizBest?: Record<string, number> | null;
  quizFirst?: Record<string, number> | null;
}

export async function enrolmentFacts(query: EnrolmentQuery): Promise<EnrolmentFact[]> {
  const match: Record<string, unknown> = {};
  if (query.courseIds) match.courseId = { $in: oids(query.courseIds) };
  if (query.userIds) match.userId = { $in: oids(query.userIds) };
  if (!query.includeLeft) match.status = 'active';
  if (query.from || query.to)
    match.createdAt = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
  // $size in a projection keeps the lesson ids in the store: only their count travels.
  const rows = await Enrolment.aggregate<FactRow>([
    { $match: match },
    {
      $project: {
        userId: 1,
        courseId: 1,
        status: 1,
        createdAt: 1,
        completedAt: 1,
        lessonsDone: { $size: { $ifNull: ['$completedLessons', []] } },
        quizBest: 1,
        quizFirst: 1,
      },
    },
  ]);
  return rows.map((r) => ({
    userId: String(r.userId),
    courseId: String(r.courseId),
    status: r.status,
    enrolledAt: r.createdAt,
    completedAt: r.completedAt ?? null,
    lessonsDone: r.lessonsDone,
    quizBest: r.quizBest ?? {},
    quizFirst: r.quizFirst ?? {},
  }));
}
