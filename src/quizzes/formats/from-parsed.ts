import type { Locale } from '../../core/i18n.js';
import type {
  ChoiceOption,
  LocalText,
  ParsedOption,
  ParsedQuestion,
  PartialCreditRule,
  Question,
} from '../question.types.js';

/**
 * A parsed question (one language, plain strings) → the bank's form, texts in `locale`, new ids for
 * options and pairs. Points come from the parser (1 for GIFT and Aiken).
 */

/** Shares of 100 differ from 100/k by rounding only (33.33333 for a third). */
const SHARE_SLACK = 0.01;

/**
 * Weights that grade the same under the 'proportional' rule as under 'weights': k right options of 100/k
 * each, and wrong ones at 0 or −100/k (the grader's 'weights' rule charges a 0 % wrong tick 100/k too).
 * Then the simpler rule is chosen, so that a trainer editing the question ticks right options instead of
 * typing percentages; any other weights (a −100 % trap, unequal shares) keep 'weights'.
 */
export function isProportional(weights: number[]): boolean {
  const right = weights.filter((w) => w > 0);
  if (right.length === 0) return false;
  const share = 100 / right.length;
  return weights.every((w) =>
    w > 0 ? Math.abs(w - share) <= SHARE_SLACK : w === 0 || Math.abs(w + share) <= SHARE_SLACK,
  );
}

/**
 * "$CATEGORY: law/advocacy" → tags law, advocacy. As in Moodle, "//" is a "/" inside a name, and a
 * leading "$course$"-style context with "top" after it names Moodle's bank, not a subject.
 */
export function tagsFromCategory(category: string): string[] {
  const names = [''];
  // Split keeps the separators: "/" starts a name, "//" is a slash inside one (read left to right).
  for (const piece of category.split(/(\/\/?)/)) {
    if (piece === '/') names.push('');
    else names[names.length - 1] += piece === '//' ? '/' : piece;
  }
  const segments = names.map((s) => s.trim()).filter((s) => s !== '');
  if (segments[0] !== undefined && /^\$\w+\$$/.test(segments[0])) {
    segments.shift();
    if (segments[0] === 'top') segments.shift();
  }
  return segments;
}

export function fromParsed(parsed: ParsedQuestion, locale: Locale, newId: () => string): Question {
  const local = (text: string): LocalText => (text === '' ? {} : { [locale]: text });
  const choice = (o: ParsedOption): ChoiceOption => ({
    id: newId(),
    text: local(o.text),
    weight: o.weight,
    feedback: local(o.feedback),
  });
  const common = {
    name: parsed.name,
    text: local(parsed.text),
    explanation: local(parsed.explanation),
    points: parsed.points,
    tags: tagsFromCategory(parsed.category),
  };
  switch (parsed.type) {
    case 'single':
      return { ...common, type: 'single', options: parsed.options.map(choice) };
    case 'multiple': {
      const rule: PartialCreditRule = isProportional(parsed.options.map((o) => o.weight))
        ? 'proportional'
        : 'weights';
      return { ...common, type: 'multiple', options: parsed.options.map(choice), partialCredit: rule };
    }
    case 'truefalse':
      return {
        ...common,
        type: 'truefalse',
        answer: parsed.answer,
        feedbackTrue: local(parsed.feedbackTrue),
        feedbackFalse: local(parsed.feedbackFalse),
      };
    case 'short':
      // GIFT and Aiken cannot say "case matters"; Moodle's default, and the usual wish, is that it does not.
      return {
        ...common,
        type: 'short',
        caseSensitive: false,
        accepted: parsed.accepted.map((a) => ({
          text: a.text,
          weight: a.weight,
          feedback: local(a.feedback),
        })),
      };
    case 'numerical':
      return {
        ...common,
        type: 'numerical',
        answers: parsed.answers.map((a) => ({ ...a, feedback: local(a.feedback) })),
      };
    case 'matching':
      return {
        ...common,
        type: 'matching',
        pairs: parsed.pairs.map((p) => ({ id: newId(), left: local(p.left), right: local(p.right) })),
      };
  }
}
