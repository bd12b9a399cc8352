import type { Grade, NumericAnswer } from '../../question.types.js';
import { parseNumber } from '../normalise.js';
import { finite, gradeOf, noAnswer, records, type QuestionOf, type Untrusted } from '../score.js';

/**
 * The typed text is read with parseNumber (Dari/Pashto digits and ٫ included); text that is not plainly a
 * number earns nothing. Among the answers within tolerance the best weighted wins (the first on a tie).
 */
export function gradeNumerical(question: QuestionOf<'numerical'>, response: Untrusted): Grade {
  const { text } = response;
  if (typeof text !== 'string' || text.trim() === '') return noAnswer();
  const given = parseNumber(text);
  if (given === null) return gradeOf(question, 0, null);
  let best: NumericAnswer | undefined;
  for (const answer of records(question.answers)) {
    if (!accepts(answer, given)) continue;
    if (!best || finite(answer.weight) > finite(best.weight)) best = answer;
  }
  return best ? gradeOf(question, finite(best.weight), best.feedback) : gradeOf(question, 0, null);
}

/**
 * |given − value| ≤ tolerance, with a little slack for binary floating point: 0.1 + 0.2 typed as
 * 0.30000000000000004 or 3.3 with tolerance 0.1 around 3.2 must not fail on the last bit.
 */
function accepts(answer: NumericAnswer, given: number): boolean {
  if (typeof answer.value !== 'number' || !Number.isFinite(answer.value)) return false;
  const tolerance = Math.max(0, finite(answer.tolerance));
  const slack = 1e-9 * Math.max(1, Math.abs(answer.value));
  return Math.abs(given - answer.value) <= tolerance + slack;
}
