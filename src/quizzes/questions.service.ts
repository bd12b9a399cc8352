import { randomBytes } from 'node:crypto';
import { idOr404 } from '../core/object-id.js';
import { AppError } from '../core/app-error.js';
import { paginate, type Page } from '../core/pagination.js';
import { sharedCache, signalChange } from '../core/shared-cache.js';
import { QuestionModel, type QuestionDoc } from './question.model.js';
import type { Question } from './question.types.js';

/** A course's question bank: questions added (typed or imported), listed, drawn for attempts, removed. */

const oid = idOr404;

export const QUESTIONS_CHANGED = 'questions';
/**
 * The chosen questions of each quiz, as attempts start with them: a room of members starts the same quiz
 * within seconds, and the bank changes only through this file, which signals every change. Shared between
 * requests: read them, never change them.
 */
const chosenSets = sharedCache<QuestionDoc[]>(QUESTIONS_CHANGED);

/** Ids for options and matching pairs: short, random, unique within a question. */
export const newItemId = (): string => randomBytes(6).toString('base64url');

/** Adds questions in one insert (an import is all or nothing) and gives their ids. */
export async function addQuestions(courseId: string, questions: Question[]): Promise<string[]> {
  if (!questions.length) return [];
  const docs = await QuestionModel.insertMany(
    questions.map((q) => ({ ...q, courseId: oid(courseId) })),
    { ordered: true },
  );
  await signalChange(QUESTIONS_CHANGED);
  return docs.map((d) => String(d._id));
}

export async function findQuestion(courseId: string, questionId: string): Promise<QuestionDoc> {
  const question = await QuestionModel.findOne({
    _id: oid(questionId),
    courseId: oid(courseId),
  }).lean<QuestionDoc>();
  if (!question) throw AppError.notFound();
  return question;
}

/**
 * Replaces what the editor shows of a question; its type stays (a new type is a new question). Attempts
 * hold their own copy of each question, so an edit never changes an attempt under way or a past result.
 */
export async function updateQuestion(
  courseId: string,
  questionId: string,
  question: Question,
): Promise<void> {
  const result = await QuestionModel.updateOne(
    { _id: oid(questionId), courseId: oid(courseId), type: question.type },
    { $set: question },
    { runValidators: true },
  );
  await signalChange(QUESTIONS_CHANGED);
  if (result.matchedCount === 0) throw AppError.notFound();
}

export async function listQuestions(
  courseId: string,
  page: number,
  perPage = 50,
): Promise<Page<QuestionDoc>> {
  const filter = { courseId: oid(courseId) };
  return paginate(
    page,
    perPage,
    async (skip, limit) =>
      QuestionModel.find(filter).sort({ createdAt: 1, _id: 1 }).skip(skip).limit(limit).lean<QuestionDoc[]>(),
    () => QuestionModel.countDocuments(filter),
  );
}

export async function allQuestions(courseId: string): Promise<QuestionDoc[]> {
  return QuestionModel.find({ courseId: oid(courseId) })
    .sort({ createdAt: 1, _id: 1 })
    .limit(5000)
    .lean<QuestionDoc[]>();
}

export async function questionTags(courseId: string): Promise<string[]> {
  const tags: unknown[] = await QuestionModel.distinct('tags', { courseId: oid(courseId) });
  return tags.filter((t): t is string => typeof t === 'string').sort();
}

export async function questionsByIds(courseId: string, ids: string[]): Promise<QuestionDoc[]> {
  const course = oid(courseId);
  const rows = await chosenSets.get(`${String(course)}/${ids.join(',')}`, () =>
    QuestionModel.find({ courseId: course, _id: { $in: ids.map(oid) } }).lean<QuestionDoc[]>(),
  );
  const byId = new Map(rows.map((q) => [String(q._id), q]));
  return ids.flatMap((i) => byId.get(i) ?? []);
}

/** `count` questions at random with this tag, none of `exclude`. */
export async function drawQuestions(
  courseId: string,
  tag: string,
  count: number,
  exclude: string[],
): Promise<QuestionDoc[]> {
  return QuestionModel.aggregate<QuestionDoc>([
    { $match: { courseId: oid(courseId), tags: tag, _id: { $nin: exclude.map(oid) } } },
    { $sample: { size: count } },
  ]);
}

export async function deleteQuestion(courseId: string, questionId: string): Promise<void> {
  const result = await QuestionModel.deleteOne({ _id: oid(questionId), courseId: oid(courseId) });
  await signalChange(QUESTIONS_CHANGED);
  if (result.deletedCount === 0) throw AppError.notFound();
}
