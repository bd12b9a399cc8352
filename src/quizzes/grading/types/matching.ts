import type { Grade, LocalText } from '../../question.types.js';
import { gradeOf, isRecord, noAnswer, withIds, type QuestionOf, type Untrusted } from '../score.js';

/**
 * Each left item matched rightly earns points / pairs. `chosen` maps a left pair id to the pair id whose
 * right side was picked; ids that are not pairs, and values that are not strings, are ignored. A pick is
 * also right when the picked pair's right side reads the same as the expected one (two capitals in one
 * country), because the member cannot tell such right sides apart.
 */
export function gradeMatching(question: QuestionOf<'matching'>, response: Untrusted): Grade {
  const { chosen } = response;
  if (!isRecord(chosen)) return noAnswer();
  const pairs = withIds(question.pairs);
  const byId = new Map(pairs.map((p) => [p.id, p]));
  let answered = 0;
  let right = 0;
  for (const pair of pairs) {
    // Own properties only: a pair id such as "constructor" must not find Object.prototype's.
    const pickedId = Object.hasOwn(chosen, pair.id) ? chosen[pair.id] : undefined;
    const picked = typeof pickedId === 'string' ? byId.get(pickedId) : undefined;
    if (!picked) continue;
    answered++;
    if (picked === pair || sameText(picked.right, pair.right)) right++;
  }
  if (answered === 0) return noAnswer();
  return gradeOf(question, (100 * right) / pairs.length, null);
}

function sameText(a: LocalText | undefined, b: LocalText | undefined): boolean {
  if (!isRecord(a) || !isRecord(b)) return false;
  const locales = new Set([...Object.keys(a), ...Object.keys(b)]);
  let anyText = false;
  for (const locale of locales) {
    const x = text(a, locale);
    const y = text(b, locale);
    if (x !== y) return false;
    anyText ||= x !== '';
  }
  // Two blank right sides are a damaged record, not the same answer.
  return anyText;
}

function text(local: Record<string, unknown>, locale: string): string {
  const value = local[locale];
  return typeof value === 'string' ? value.trim() : '';
}
