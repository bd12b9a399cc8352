import type { Locale } from '../core/i18n.js';
import { parseAiken } from './formats/aiken.js';
import { fromParsed } from './formats/from-parsed.js';
import { parseGift } from './formats/gift.js';
import type { ParseResult } from './question.types.js';
import { addQuestions, newItemId } from './questions.service.js';

/**
 * Questions from GIFT or Aiken text into a course's bank: read first (every question and every problem
 * with its line), then saved all at once and only when nothing is wrong. The trainer's import page and
 * the command line both go through here, so a file that loads in one loads in the other.
 */

export type QuestionFormat = 'gift' | 'aiken';

/** What a text holds; a text with no question at all is a problem too, so it is never "imported" silently. */
export function readQuestionText(format: QuestionFormat, source: string): ParseResult {
  const result = format === 'gift' ? parseGift(source) : parseAiken(source);
  if (!result.questions.length && !result.problems.length)
    result.problems.push({ line: 1, message: 'quizzes.import.empty' });
  return result;
}

/** Saves what was read, texts in `locale`; refuses (saves nothing) while there is any problem. */
export async function saveReadQuestions(
  courseId: string,
  read: ParseResult,
  locale: Locale,
): Promise<string[]> {
  if (read.problems.length) throw new Error('questions with problems are not saved');
  return addQuestions(
    courseId,
    read.questions.map((q) => fromParsed(q, locale, newItemId)),
  );
}
