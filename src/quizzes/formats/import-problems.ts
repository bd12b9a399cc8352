import type { ParseProblem } from '../question.types.js';

/**
 * Every reason a GIFT or Aiken import can give; the message key is `quizzes.import.<reason>`. A question
 * with a problem is left out of the result (the file is meant to be fixed and read again), and the
 * problem names the line to look at.
 */
export const IMPORT_REASONS = [
  'unclosedBrace',
  'strayBrace',
  'severalAnswerBlocks',
  'unclosedTitle',
  'unknownEscape',
  'answerWithoutPrefix',
  'unexpectedText',
  'otherAnswerFeedback',
  'emptyText',
  'unsupportedType',
  'emptyAnswer',
  'tooFewOptions',
  'noRightAnswer',
  'weightsNotHundred',
  'badWeight',
  'weightOutOfRange',
  'badNumber',
  'badRange',
  'pairWithoutArrow',
  'pairExtras',
  'pairWithoutLeft',
  'tooFewPairs',
  'syntax',
  'noAnswerLine',
  'answerNotAnOption',
  'duplicateLabel',
] as const;
export type ImportReason = (typeof IMPORT_REASONS)[number];

export function isImportReason(value: string): value is ImportReason {
  return (IMPORT_REASONS as readonly string[]).includes(value);
}

/** The line is also a parameter, so that a message can say "Line 12: …" in any language. */
export function problem(
  reason: ImportReason,
  line: number,
  params: Record<string, string | number> = {},
): ParseProblem {
  return { line, message: `quizzes.import.${reason}`, params: { line, ...params } };
}

/** Quoted text in a message stays short: enough to find the place, not a whole paragraph. */
export function excerpt(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
