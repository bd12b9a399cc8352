import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError } from '../core/app-error.js';
import { paginate, type Page } from '../core/pagination.js';
import { QuestionModel, type QuestionDoc } from './question.model.js';
import type { Question } from './question.types.js';

/** A course's question bank: questions added (typed or imported), listed, drawn for attempts, removed. */

const oid = (value: string) => {
  if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value)) throw AppError.notFound();
  return new Types.ObjectId(value);
};

/** Ids for options and matching pairs: short, random, unique within a question. */
export const newItemId = (): string => randomBytes(6).toString('base64url');

/** Adds questions in one insert: an import is all or nothing. */
export async function addQuestions(courseId: string, questions: Question[]): Promise<number> {
  if (!questions.length) return 0;
  const docs = await QuestionModel.insertMany(
    questions.map((q) => ({ ...q, courseId: oid(courseId) })),
    { ordered: true },
  );
  return docs.length;
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
  const rows = await QuestionModel.find({ courseId: oid(courseId), _id: { $in: ids.map(oid) } }).lean<
    QuestionDoc[]
  >();
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
  if (result.deletedCount === 0) throw AppError.notFound();
}
