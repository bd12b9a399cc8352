import type { Grade, LocalText, Question, QuestionType } from '../question.types.js';

/**
 * What every type's grader shares. Responses come from the browser as JSON and are kept as sent, so
 * graders treat them as unknown and check each field; questions come from the bank, but a frozen copy in an
 * old attempt may be incomplete, so arrays and numbers in them are checked too.
 */

export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>;
/** A response object whose fields have not been checked yet. */
export type Untrusted = Record<string, unknown>;

export function isRecord(value: unknown): value is Untrusted {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The records of a question's array that have a string id; the first of duplicated ids wins. */
export function withIds<T extends { id: string }>(list: readonly T[] | undefined): T[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  return list.filter((item: unknown): item is T => {
    if (!isRecord(item) || typeof item.id !== 'string' || seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}

/** The records of a question's array (answers without ids). */
export function records<T>(list: readonly T[] | undefined): T[] {
  return Array.isArray(list) ? list.filter((item: unknown): item is T => isRecord(item)) : [];
}

/** A weight or other number from the bank, with anything not finite read as 0. */
export function finite(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

/**
 * Round half away from zero to `decimals` places, in decimal rather than binary: 1.005 → 1.01 (binary
 * arithmetic would give 1.00), 2.675 → 2.68. Float noise from the computation is cut first (12 significant
 * digits), so a share that is exactly half a cent on paper rounds up whatever the last binary digit says.
 */
export function roundHalfAwayFromZero(x: number, decimals = 2): number {
  if (!Number.isFinite(x)) return 0;
  const shift = (n: number, by: number) => {
    const [mantissa, exponent = '0'] = String(n).split('e');
    return Number(`${mantissa}e${Number(exponent) + by}`);
  };
  const magnitude = shift(Math.round(shift(Number(Math.abs(x).toPrecision(12)), decimals)), -decimals);
  const rounded = x < 0 ? -magnitude : magnitude;
  return rounded === 0 ? 0 : rounded;
}

/** The feedback to show, or null when it has no text in any language (the bank stores '' by default). */
export function feedbackOrNull(feedback: unknown): LocalText | null {
  if (!isRecord(feedback)) return null;
  const texts = Object.entries(feedback).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '',
  );
  return texts.length > 0 ? Object.fromEntries(texts) : null;
}

/** Nothing to grade: no answer, a blank one, one of another type, or one that is not a response at all. */
export function noAnswer(): Grade {
  return { score: 0, fraction: 0, feedback: null };
}

/**
 * The grade for `percent` of the question's points (clamped to 0…100). The score is rounded to 2 decimals
 * but never above the points (points with 3 decimals could round up past them); fraction is taken from
 * the rounded score so that the two always agree with what is shown.
 */
export function gradeOf(question: Question, percent: number, feedback: unknown): Grade {
  const points = finite(question.points) > 0 ? question.points : 0;
  const share = Math.min(100, Math.max(0, finite(percent)));
  const score = Math.min(points, roundHalfAwayFromZero((points * share) / 100));
  // 12 significant digits cut the binary noise of the division (0.01 / 0.1 is 0.09999999999999999).
  const fraction = points > 0 ? Number((score / points).toPrecision(12)) : 0;
  return { score, fraction, feedback: feedbackOrNull(feedback) };
}
