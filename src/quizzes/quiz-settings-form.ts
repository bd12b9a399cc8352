import { Types } from 'mongoose';
import { z } from 'zod';
import { formList, formText, formTexts, type FormValues } from '../core/validation.js';
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
  .transform(formList)
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

/**
 * The stored quiz with what the trainer sent laid over it, for a refused form: every field shows what was
 * typed (a number out of range as typed), not what is stored.
 */
export function asTyped(quiz: QuizDoc, typed: FormValues): QuizDoc {
  const counts = formList(typed.drawCount);
  return {
    ...quiz,
    title: { ...quiz.title, ...formTexts(typed.title) },
    passMark: formText(typed.passMark),
    timeLimitMinutes: formText(typed.timeLimitMinutes),
    attemptLimit: formText(typed.attemptLimit),
    shuffleQuestions: typed.shuffleQuestions !== undefined,
    shuffleOptions: typed.shuffleOptions !== undefined,
    showAnswers: SHOW_ANSWERS.find((s) => s === typed.showAnswers) ?? quiz.showAnswers,
    questionIds: formList(typed.questionIds)
      .filter((id) => Types.ObjectId.isValid(id))
      .map((id) => new Types.ObjectId(id)),
    draws: formList(typed.drawTag)
      .map((tag, i) => ({ tag, count: counts[i] ?? '' }))
      .filter((d) => d.tag),
  } as unknown as QuizDoc;
}
