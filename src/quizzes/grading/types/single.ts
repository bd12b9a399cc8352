import type { Grade } from '../../question.types.js';
import { finite, gradeOf, noAnswer, withIds, type QuestionOf, type Untrusted } from '../score.js';

/** One option chosen: its weight (clamped to 0…100 %, a penalty never goes below 0) and its feedback. */
export function gradeSingle(question: QuestionOf<'single'>, response: Untrusted): Grade {
  const { optionId } = response;
  if (typeof optionId !== 'string') return noAnswer();
  const option = withIds(question.options).find((o) => o.id === optionId);
  if (!option) return noAnswer();
  return gradeOf(question, finite(option.weight), option.feedback);
}
