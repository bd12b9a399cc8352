import type { Locale } from '../core/i18n.js';

/**
 * Questions as the bank keeps them and grading reads them. A text is given per language (Markdown for
 * question texts, explanations and feedback; plain text for options and matching items). Weights are
 * percentages of the question's points, as in Moodle's GIFT: 100 for a right answer, 0 for a wrong one,
 * a share for partial credit, and a negative share for a penalised wrong choice in a multiple choice.
 */

export type LocalText = Partial<Record<Locale, string>>;

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'short', 'numerical', 'matching'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** How a multiple-choice question with several right options is scored. */
export const PARTIAL_CREDIT_RULES = ['allOrNothing', 'proportional', 'weights'] as const;
/**
 * - allOrNothing: full points only for exactly the right set, else 0;
 * - proportional: (right ticked − wrong ticked) / right options, never below 0;
 * - weights: the sum of the ticked options' weights (GIFT's `~%50%`), clamped to 0…100 %.
 */
export type PartialCreditRule = (typeof PARTIAL_CREDIT_RULES)[number];

export interface ChoiceOption {
  id: string;
  text: LocalText;
  /** Percent of the points: 100 right, 0 wrong; other values for partial credit or penalty. */
  weight: number;
  feedback: LocalText;
}

export interface AcceptedAnswer {
  text: string;
  weight: number;
  feedback: LocalText;
}

export interface NumericAnswer {
  value: number;
  /** Accepted when |given − value| ≤ tolerance. */
  tolerance: number;
  weight: number;
  feedback: LocalText;
}

export interface MatchingPair {
  id: string;
  left: LocalText;
  right: LocalText;
}

interface QuestionCommon {
  /** A short name for the bank's list (GIFT's ::title::); optional. */
  name: string;
  text: LocalText;
  /** Shown with the result, as the quiz's settings allow: why the answer is what it is. */
  explanation: LocalText;
  points: number;
  tags: string[];
}

export type QuestionBody =
  | { type: 'single'; options: ChoiceOption[] }
  | { type: 'multiple'; options: ChoiceOption[]; partialCredit: PartialCreditRule }
  | { type: 'truefalse'; answer: boolean; feedbackTrue: LocalText; feedbackFalse: LocalText }
  | { type: 'short'; accepted: AcceptedAnswer[]; caseSensitive: boolean }
  | { type: 'numerical'; answers: NumericAnswer[] }
  | { type: 'matching'; pairs: MatchingPair[] };

export type Question = QuestionCommon & QuestionBody;

/** What a member answered, per type: kept as sent, graded by a pure function. */
export type QuestionResponse =
  | { type: 'single'; optionId: string | null }
  | { type: 'multiple'; optionIds: string[] }
  | { type: 'truefalse'; value: boolean | null }
  | { type: 'short'; text: string }
  | { type: 'numerical'; text: string }
  /** left pair id → the pair id whose right side was chosen for it */
  | { type: 'matching'; chosen: Record<string, string> };

export interface Grade {
  /** 0 … question points. */
  score: number;
  /** score / points, 0 … 1. */
  fraction: number;
  /** Feedback of the option or answer the member chose, when there is one. */
  feedback: LocalText | null;
}

/**
 * A question as read from a text format (GIFT, Aiken) in one language, before it joins a bank: plain
 * strings, the source line for messages, and the category the file put it in (GIFT's $CATEGORY).
 */
export interface ParsedCommon {
  line: number;
  name: string;
  text: string;
  explanation: string;
  /** GIFT's $CATEGORY: becomes a tag. */
  category: string;
  /** GIFT's question weight is not standard; points default to 1 unless the format gives them. */
  points: number;
}

export interface ParsedOption {
  text: string;
  weight: number;
  feedback: string;
}

export type ParsedQuestion = ParsedCommon &
  (
    | { type: 'single'; options: ParsedOption[] }
    | { type: 'multiple'; options: ParsedOption[] }
    | { type: 'truefalse'; answer: boolean; feedbackTrue: string; feedbackFalse: string }
    | { type: 'short'; accepted: ParsedOption[] }
    | { type: 'numerical'; answers: { value: number; tolerance: number; weight: number; feedback: string }[] }
    | { type: 'matching'; pairs: { left: string; right: string }[] }
  );

/** A problem found while reading a file: a message key (`quizzes.import.*`) with its parameters. */
export interface ParseProblem {
  line: number;
  message: string;
  params?: Record<string, string | number>;
}

export interface ParseResult {
  questions: ParsedQuestion[];
  problems: ParseProblem[];
}
