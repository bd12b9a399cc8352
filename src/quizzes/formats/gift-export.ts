import { SUPPORTED_LOCALES, type Locale } from '../../core/i18n.js';
import type { ChoiceOption, LocalText, Question } from '../question.types.js';
import { isProportional } from './from-parsed.js';
import { BLANK } from './gift-build.js';
import { startsWithFormat } from './plain-text.js';

/**
 * The bank → Moodle's GIFT, in one language, written so that parseGift reads back the same questions.
 * Every text is escaped and kept on one line ("\n" for its line breaks), so no text can end a question
 * with a blank line, start a "//" comment or a "$CATEGORY:". Question texts carry "[markdown]", their
 * format here, which Moodle also understands. What GIFT cannot say is left out: points, a short answer's
 * case sensitivity, and the all-or-nothing rule (see choiceLines).
 */
export function toGift(questions: Question[], locale: Locale): string {
  const parts: string[] = [];
  let category = '';
  for (const question of questions) {
    const next = categoryOf(question.tags);
    if (next !== category) parts.push(`$CATEGORY: ${next}`);
    category = next;
    parts.push(questionToGift(question, locale));
  }
  return parts.length === 0 ? '' : `${parts.join('\n\n')}\n`;
}

/** The inverse of tagsFromCategory: tags as a category path, "/" in a tag doubled as in Moodle. */
function categoryOf(tags: string[]): string {
  return tags
    .map((t) => t.replace(/\s+/g, ' ').trim().replace(/\//g, '//'))
    .filter(Boolean)
    .join('/');
}

/** The text in `locale`, else in the first language that has one, so that nothing exports blank. */
function pick(text: LocalText | undefined, locale: Locale): string {
  // Absent only in stored data older than the field (a true/false question's feedback): nothing to export.
  const own = text?.[locale]?.trim();
  if (own) return own;
  for (const other of SUPPORTED_LOCALES) {
    const value = text?.[other]?.trim();
    if (value) return value;
  }
  return '';
}

function escape(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\\~=#{}:]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** For fields whose "[html]"-style prefix the parser drops: a literal one is protected by ours. */
function guarded(text: string): string {
  return startsWithFormat(text) ? `[markdown]${escape(text)}` : escape(text);
}

/** "=" or "~" with the weight, unless it is the default one. */
function mark(prefix: '=' | '~', weight: number, fallback: number): string {
  return weight === fallback ? prefix : `${prefix}%${String(weight)}%`;
}

/** A text that starts with "%" would be read as a weight; a space keeps it apart (fields are trimmed). */
function apart(escaped: string): string {
  return escaped.startsWith('%') ? ` ${escaped}` : escaped;
}

function feedback(text: LocalText | undefined, locale: Locale): string {
  const value = pick(text, locale);
  return value === '' ? '' : `#${guarded(value)}`;
}

function questionToGift(q: Question, locale: Locale): string {
  const name = q.name.trim() === '' ? '' : `::${escape(q.name.trim())}::`;
  const text = pick(q.text, locale);
  const explanation = pick(q.explanation, locale);
  const general = explanation === '' ? [] : [`####${guarded(explanation)}`];
  const answers = [...answerLines(q, locale), ...general];
  // Missing-word format when a blank has text after it; a blank at the very end stays in the text.
  const blank = text.indexOf(BLANK);
  const after = blank < 0 ? '' : text.slice(blank + BLANK.length);
  const [before, rest] = after.trim() === '' ? [`${text} `, ''] : [text.slice(0, blank), after];
  return `${name}[markdown]${escape(before)}{\n${answers.join('\n')}\n}${escape(rest)}`;
}

function answerLines(q: Question, locale: Locale): string[] {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return choiceLines(q, locale);
    case 'truefalse': {
      // Moodle's order: the feedback for a wrong answer first, then the one for a right answer.
      const [wrong, right] = q.answer ? [q.feedbackFalse, q.feedbackTrue] : [q.feedbackTrue, q.feedbackFalse];
      const rightFeedback = feedback(right, locale);
      const wrongFeedback = feedback(wrong, locale) || (rightFeedback ? '#' : '');
      return [`${q.answer ? 'TRUE' : 'FALSE'}${wrongFeedback}${rightFeedback}`];
    }
    case 'short':
      return q.accepted.map(
        (a) => `${mark('=', a.weight, 100)}${apart(escape(a.text.trim()))}${feedback(a.feedback, locale)}`,
      );
    case 'numerical': {
      // "{#1822:5}" for one answer, else "{#=1822:0 =%50%1822:2}".
      const lone = q.answers.length === 1 && q.answers[0]?.weight === 100;
      return q.answers.map((a, i) => {
        const spec = a.tolerance === 0 ? String(a.value) : `${String(a.value)}:${String(a.tolerance)}`;
        return `${i === 0 ? '#' : ''}${lone ? '' : mark('=', a.weight, 100)}${spec}${feedback(a.feedback, locale)}`;
      });
    }
    case 'matching':
      return q.pairs.map(
        (p) => `=${apart(guarded(pick(p.left, locale)))} -> ${escape(pick(p.right, locale))}`,
      );
  }
}

/**
 * One right answer is written "=", so Moodle and parseGift read a one-answer question; several right
 * answers use "~%w%" weights only. 'proportional' is written as weights that grade the same (100/k for a
 * right option, −100/k for a wrong one). 'allOrNothing' has no GIFT form: it is written as right options at
 * 100/k and wrong ones at −100 %, so that any wrong tick still scores 0, and is read back as 'weights'.
 */
function choiceLines(q: Extract<Question, { type: 'single' | 'multiple' }>, locale: Locale): string[] {
  const weights = choiceWeights(q);
  return q.options.map((option, i) => {
    const text = pick(option.text, locale);
    const weight = weights[i] ?? 0;
    const prefix = q.type === 'single' && weight === 100 ? '=' : mark('~', weight, 0);
    return `${prefix}${apart(guarded(text))}${feedback(option.feedback, locale)}`;
  });
}

function choiceWeights(q: Extract<Question, { type: 'single' | 'multiple' }>): number[] {
  const stored = q.options.map((o: ChoiceOption) => o.weight);
  if (q.type === 'single' || q.partialCredit === 'weights') return stored;
  if (q.partialCredit === 'proportional' && isProportional(stored)) return stored;
  const share = 100 / Math.max(1, stored.filter((w) => w > 0).length);
  const wrong = q.partialCredit === 'proportional' ? -share : -100;
  return stored.map((w) => (w > 0 ? share : wrong));
}
