import type { ChoiceOption, Grade, LocalText, PartialCreditRule } from '../../question.types.js';
import {
  feedbackOrNull,
  finite,
  gradeOf,
  noAnswer,
  withIds,
  type QuestionOf,
  type Untrusted,
} from '../score.js';

/**
 * Several options may be ticked. An option is right when its weight is above 0. Whatever the rule,
 * ticking every option earns full points only when every option is right: a wrong tick always costs.
 */
export function gradeMultiple(question: QuestionOf<'multiple'>, response: Untrusted): Grade {
  const { optionIds } = response;
  if (!Array.isArray(optionIds)) return noAnswer();
  // A Set, so an id sent twice counts once; ids that are not options (or not strings) are never looked up.
  const wanted = new Set<unknown>(optionIds);
  const options = withIds(question.options);
  const ticked = options.filter((o) => wanted.has(o.id));
  if (ticked.length === 0) return noAnswer();
  const rightCount = options.filter(isRight).length;
  const percent = rightCount === 0 ? 0 : RULES[ruleOf(question.partialCredit)](ticked, rightCount);
  return gradeOf(question, percent, joinFeedback(ticked));
}

const isRight = (o: ChoiceOption) => finite(o.weight) > 0;

/** An unknown rule (a damaged record) is read as the strictest one. */
function ruleOf(rule: unknown): PartialCreditRule {
  return rule === 'proportional' || rule === 'weights' ? rule : 'allOrNothing';
}

const RULES: Record<PartialCreditRule, (ticked: ChoiceOption[], rightCount: number) => number> = {
  allOrNothing: (ticked, rightCount) => (ticked.length === rightCount && ticked.every(isRight) ? 100 : 0),

  proportional: (ticked, rightCount) => {
    const right = ticked.filter(isRight).length;
    return (100 * (right - (ticked.length - right))) / rightCount;
  },

  /**
   * GIFT's weights, with two guards so that a wrong tick is never free: the right ticks' weights are
   * capped at 100 % before penalties are taken off (weights summing above 100 would otherwise absorb
   * them), and a wrong option left at 0 % (GIFT's plain `~`) costs one right option's share, 100 % / right
   * options, as in the proportional rule. An explicit negative weight is used as given.
   */
  weights: (ticked, rightCount) => {
    let gained = 0;
    let lost = 0;
    for (const option of ticked) {
      const weight = finite(option.weight);
      if (weight > 0) gained += weight;
      else lost += weight < 0 ? -weight : 100 / rightCount;
    }
    return Math.min(100, gained) - lost;
  },
};

/**
 * Moodle shows the feedback of each ticked option; a Grade holds one text per language, so they are
 * joined, in the question's order, as Markdown paragraphs.
 */
function joinFeedback(ticked: ChoiceOption[]): LocalText | null {
  const joined: Record<string, string[]> = {};
  for (const option of ticked) {
    for (const [locale, text] of Object.entries(feedbackOrNull(option.feedback) ?? {})) {
      (joined[locale] ??= []).push(text.trim());
    }
  }
  return feedbackOrNull(
    Object.fromEntries(Object.entries(joined).map(([l, texts]) => [l, texts.join('\n\n')])),
  );
}
