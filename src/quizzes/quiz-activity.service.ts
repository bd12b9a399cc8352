import { Types } from 'mongoose';
import { Attempt } from './attempt.model.js';
import { Quiz, type QuizDoc } from './quiz.model.js';

/** What trainers see of the quizzes of their courses at a glance: the latest submissions, the quizzes. */

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
  const ids = courseIds.filter((c) => Types.ObjectId.isValid(c)).map((c) => new Types.ObjectId(c));
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

/** The quizzes of these courses (for links to their item analysis). */
export async function quizzesOfCourses(courseIds: string[]): Promise<QuizDoc[]> {
  const ids = courseIds.filter((c) => Types.ObjectId.isValid(c)).map((c) => new Types.ObjectId(c));
  if (!ids.length) return [];
  return Quiz.find({ courseId: { $in: ids } }).lean<QuizDoc[]>();
}
