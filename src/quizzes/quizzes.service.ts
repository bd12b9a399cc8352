import { idOr404 } from '../core/object-id.js';
import { AppError, isDuplicateKey, ValidationError } from '../core/app-error.js';
import { sharedCache, signalChange } from '../core/shared-cache.js';
import { allLessons, type CourseDoc } from '../courses/courses.service.js';
import type { CompletionRule } from '../progress/progress.service.js';
import { Quiz, type QuizDoc, type QuizKind, type ShowAnswers } from './quiz.model.js';
import type { LocalText } from './question.types.js';

export type { QuizDoc, QuizKind, ShowAnswers } from './quiz.model.js';

const oid = idOr404;

export async function quizzesOf(courseId: string): Promise<QuizDoc[]> {
  return Quiz.find({ courseId: oid(courseId) }).lean<QuizDoc[]>();
}

/** Signalled on every change to a quiz, so each instance drops the quizzes it holds in memory. */
export const QUIZZES_CHANGED = 'quizzes';
const forMembers = sharedCache<QuizDoc | null>(QUIZZES_CHANGED);

/**
 * A quiz as members meet it (its page, a start, the attempt page, a submission), from memory: a room of
 * members opens the same quiz at once, and its settings change only in the builder, which signals. Shared
 * between requests: read it, never change it.
 */
export async function findQuiz(courseId: string, quizId: string): Promise<QuizDoc | null> {
  const [course, quiz] = [oid(courseId), oid(quizId)];
  return forMembers.get(`${String(course)}/${String(quiz)}`, () =>
    Quiz.findOne({ _id: quiz, courseId: course }).lean<QuizDoc>(),
  );
}

/** The quiz as stored now, for its builder. */
export async function findQuizToEdit(courseId: string, quizId: string): Promise<QuizDoc | null> {
  return Quiz.findOne({ _id: oid(quizId), courseId: oid(courseId) }).lean<QuizDoc>();
}

type RequiredQuiz = Pick<QuizDoc, '_id' | 'kind' | 'moduleId'>;
const requiredByCourse = sharedCache<RequiredQuiz[]>(QUIZZES_CHANGED);

/**
 * What completing the course asks of quizzes: every module quiz of a module still in the course, and the
 * post-test when there is one. The pre-test is taken, not passed. Asked at every submission, so kept in
 * memory like the quizzes themselves: the builder's changes signal it.
 */
export async function requiredQuizIds(courseId: string, moduleIds: string[]): Promise<string[]> {
  const modules = new Set(moduleIds);
  const course = oid(courseId);
  const quizzes = await requiredByCourse.get(String(course), () =>
    Quiz.find({ courseId: course, kind: { $in: ['module', 'posttest'] } })
      .select({ kind: 1, moduleId: 1 })
      .lean<RequiredQuiz[]>(),
  );
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
    await signalChange(QUIZZES_CHANGED);
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
  await signalChange(QUIZZES_CHANGED);
}

export async function deleteQuiz(courseId: string, quizId: string): Promise<void> {
  await Quiz.deleteOne({ _id: oid(quizId), courseId: oid(courseId) });
  await signalChange(QUIZZES_CHANGED);
}
