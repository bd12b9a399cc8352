import type { AcceptedAnswer, Grade } from '../../question.types.js';
import { normaliseAnswerText } from '../normalise.js';
import { finite, gradeOf, noAnswer, records, type QuestionOf, type Untrusted } from '../score.js';

/**
 * Both sides go through the same normalisation, so the bank can hold any spelling and members can type
 * any keyboard's. Among the accepted answers that match, the best weighted wins (the first on a tie), so
 * a trainer may list a common wrong answer at 0 % just to give it feedback.
 */
export function gradeShort(question: QuestionOf<'short'>, response: Untrusted): Grade {
  const { text } = response;
  if (typeof text !== 'string') return noAnswer();
  const caseSensitive = question.caseSensitive === true;
  const given = normaliseAnswerText(text, caseSensitive);
  if (given === '') return noAnswer();
  let best: AcceptedAnswer | undefined;
  for (const answer of records(question.accepted)) {
    if (typeof answer.text !== 'string' || normaliseAnswerText(answer.text, caseSensitive) !== given)
      continue;
    if (!best || finite(answer.weight) > finite(best.weight)) best = answer;
  }
  return best ? gradeOf(question, finite(best.weight), best.feedback) : gradeOf(question, 0, null);
}
