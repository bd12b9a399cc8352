import { idOr404 } from '../core/object-id.js';
import { AppError, isDuplicateKey, ValidationError } from '../core/app-error.js';
import { allLessons, type CourseDoc } from '../courses/courses.service.js';
import type { CompletionRule } from '../progress/progress.service.js';
import { Quiz, type QuizDoc, type QuizKind, type ShowAnswers } from './quiz.model.js';
import type { LocalText } from './question.types.js';

export type { QuizDoc, QuizKind, ShowAnswers } from './quiz.model.js';

const oid = idOr404;

export async function quizzesOf(courseId: string): Promise<QuizDoc[]> {
  return Quiz.find({ courseId: oid(courseId) }).lean<QuizDoc[]>();
}

export async function findQuiz(courseId: string, quizId: string): Promise<QuizDoc | null> {
  return Quiz.findOne({ _id: oid(quizId), courseId: oid(courseId) }).lean<QuizDoc>();
}

/**
 * What completing the course asks of quizzes: every module quiz of a module still in the course, and the
 * post-test when there is one. The pre-test is taken, not passed.
 */
export async function requiredQuizIds(courseId: string, moduleIds: string[]): Promise<string[]> {
  const modules = new Set(moduleIds);
  const quizzes = await Quiz.find({ courseId: oid(courseId), kind: { $in: ['module', 'posttest'] } })
    .select({ kind: 1, moduleId: 1 })
    .lean<Pick<QuizDoc, '_id' | 'kind' | 'moduleId'>[]>();
  return quizzes
    .filter((q) => q.kind === 'posttest' || (q.moduleId && modules.has(String(q.moduleId))))
    .map((q) => String(q._id));
}

/** What completing a course takes: every lesson, and every module quiz and the post-test passed. */
export async function completionRule(course: CourseDoc): Promise<CompletionRule> {
  return {
    lessonIds: allLessons(course).map(({ lesson }) => String(lesson._id)),
    quizIds: await requiredQuizIds(
      String(course._id),
      course.modules.map((m) => String(m._id)),
    ),
  };
}

export interface QuizSettings {
  title: LocalText;
  passMark: number;
  timeLimitMinutes: number | null;
  attemptLimit: number | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  showAnswers: ShowAnswers;
  questionIds: string[];
  draws: { tag: string; count: number }[];
}

/** Creates the quiz of a module, or the course's pre-test or post-test: one of each (a unique index). */
export async function createQuiz(
  courseId: string,
  kind: QuizKind,
  moduleId: string | null,
  title: LocalText,
): Promise<string> {
  try {
    const quiz = await Quiz.create({
      courseId: oid(courseId),
      kind,
      moduleId: kind === 'module' && moduleId ? oid(moduleId) : null,
      title,
    });
    return String(quiz._id);
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError('kind', 'quizzes.errors.exists', 409);
    throw err;
  }
}

export async function saveQuizSettings(courseId: string, quizId: string, s: QuizSettings): Promise<void> {
  const result = await Quiz.updateOne(
    { _id: oid(quizId), courseId: oid(courseId) },
    { $set: { ...s, questionIds: s.questionIds.map(oid) } },
  );
  if (result.matchedCount === 0) throw AppError.notFound();
}

export async function deleteQuiz(courseId: string, quizId: string): Promise<void> {
  await Quiz.deleteOne({ _id: oid(quizId), courseId: oid(courseId) });
}
