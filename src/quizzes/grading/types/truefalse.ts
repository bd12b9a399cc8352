import type { Grade } from '../../question.types.js';
import { gradeOf, noAnswer, type QuestionOf, type Untrusted } from '../score.js';

/** All or nothing. As in GIFT, feedbackTrue is what a member who answered "true" reads, right or wrong. */
export function gradeTrueFalse(question: QuestionOf<'truefalse'>, response: Untrusted): Grade {
  const { value } = response;
  if (typeof value !== 'boolean') return noAnswer();
  const right = typeof question.answer === 'boolean' && value === question.answer;
  return gradeOf(question, right ? 100 : 0, value ? question.feedbackTrue : question.feedbackFalse);
}
