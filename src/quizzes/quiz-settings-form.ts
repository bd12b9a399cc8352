import { Types } from 'mongoose';
import { z } from 'zod';
import { SHOW_ANSWERS, type QuizDoc } from './quiz.model.js';

/** The quiz settings form: what it accepts, and what a refused form shows again. */

const optionalInt = (min: number, max: number) =>
  z
    .string()
    .max(6, { message: 'quizzes.errors.number' })
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : Number(v)))
    .refine((v) => v === null || (Number.isInteger(v) && v >= min && v <= max), {
      message: 'quizzes.errors.number',
    });

const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^[0-9a-f]{24}$/)).max(500));

export const settingsSchema = z.object({
  title: z.record(z.string(), z.string().max(200, { message: 'validation.tooLong' })).optional(),
  passMark: z.coerce.number({ message: 'quizzes.errors.number' }).int().min(0).max(100),
  timeLimitMinutes: optionalInt(1, 600),
  attemptLimit: optionalInt(1, 100),
  shuffleQuestions: z.string().max(5).optional(),
  shuffleOptions: z.string().max(5).optional(),
  showAnswers: z.enum(SHOW_ANSWERS),
  questionIds: ids,
  drawTag: z.union([z.string().max(60), z.array(z.string().max(60)).max(20)]).optional(),
  drawCount: z.union([z.string().max(4), z.array(z.string().max(4)).max(20)]).optional(),
});

export const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The stored quiz with what the trainer sent laid over it, for a refused form: every field shows what was
 * typed (a number out of range as typed), not what is stored.
 */
export function asTyped(quiz: QuizDoc, body: unknown): QuizDoc {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const strings = (v: unknown) =>
    (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  const typedTitle =
    b.title && typeof b.title === 'object'
      ? Object.entries(b.title).filter(([, v]) => typeof v === 'string')
      : [];
  const counts = strings(b.drawCount);
  return {
    ...quiz,
    title: { ...quiz.title, ...Object.fromEntries(typedTitle) },
    passMark: text(b.passMark),
    timeLimitMinutes: text(b.timeLimitMinutes),
    attemptLimit: text(b.attemptLimit),
    shuffleQuestions: b.shuffleQuestions !== undefined,
    shuffleOptions: b.shuffleOptions !== undefined,
    showAnswers: SHOW_ANSWERS.find((s) => s === b.showAnswers) ?? quiz.showAnswers,
    questionIds: strings(b.questionIds)
      .filter((id) => Types.ObjectId.isValid(id))
      .map((id) => new Types.ObjectId(id)),
    draws: strings(b.drawTag)
      .map((tag, i) => ({ tag, count: counts[i] ?? '' }))
      .filter((d) => d.tag),
  } as unknown as QuizDoc;
}
