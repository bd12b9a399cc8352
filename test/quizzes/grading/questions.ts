/** Small factories for grading tests: a question of each type with only what the test cares about. */
import type {
  ChoiceOption,
  LocalText,
  PartialCreditRule,
  QuestionResponse,
} from '../../../src/quizzes/question.types.js';
import type { QuestionOf } from '../../../src/quizzes/grading/score.js';

const common = { name: '', text: { en: 'Q' }, explanation: {}, tags: [] };

export const fb = (en: string): LocalText => ({ en });

export function option(id: string, weight: number, feedback = ''): ChoiceOption {
  return { id, text: { en: id }, weight, feedback: feedback ? fb(feedback) : { en: '' } };
}

export function single(options: ChoiceOption[], points = 1): QuestionOf<'single'> {
  return { ...common, points, type: 'single', options };
}

export function multiple(
  options: ChoiceOption[],
  partialCredit: PartialCreditRule,
  points = 1,
): QuestionOf<'multiple'> {
  return { ...common, points, type: 'multiple', options, partialCredit };
}

export function trueFalse(answer: boolean, points = 1): QuestionOf<'truefalse'> {
  return {
    ...common,
    points,
    type: 'truefalse',
    answer,
    feedbackTrue: fb('you said true'),
    feedbackFalse: fb('you said false'),
  };
}

export function short(
  accepted: [text: string, weight: number, feedback?: string][],
  caseSensitive = false,
  points = 1,
): QuestionOf<'short'> {
  return {
    ...common,
    points,
    type: 'short',
    caseSensitive,
    accepted: accepted.map(([text, weight, feedback]) => ({ text, weight, feedback: fb(feedback ?? text) })),
  };
}

export function numerical(
  answers: [value: number, tolerance: number, weight: number, feedback?: string][],
  points = 1,
): QuestionOf<'numerical'> {
  return {
    ...common,
    points,
    type: 'numerical',
    answers: answers.map(([value, tolerance, weight, feedback]) => ({
      value,
      tolerance,
      weight,
      feedback: fb(feedback ?? String(value)),
    })),
  };
}

export function matching(
  pairs: [id: string, left: string, right: string][],
  points = 1,
): QuestionOf<'matching'> {
  return {
    ...common,
    points,
    type: 'matching',
    pairs: pairs.map(([id, left, right]) => ({ id, left: { en: left }, right: { en: right } })),
  };
}

/** A response as it might arrive from the browser: anything at all, typed as a response for the call. */
export const untrusted = (value: unknown) => value as QuestionResponse | undefined;
