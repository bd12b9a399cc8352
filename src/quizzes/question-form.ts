import { optionalLongText, optionalText } from '../core/form-fields.js';
import type { Locale } from '../core/i18n.js';
import { parseNumber } from './formats/numbers.js';
import { PARTIAL_CREDIT_RULES, type LocalText, type Question, type QuestionType } from './question.types.js';

/**
 * The question editor's form, typed or stored. A draft holds exactly what the form shows (every number as
 * the text typed, so "۲٫۵" or a mistake comes back as written); `questionFromDraft` checks it and gives the
 * question the bank keeps. The answer rows share one shape whatever the type: choice options, accepted
 * short answers, numerical answers and matching pairs each use the fields they need.
 */

export const MAX_ROWS = 20;
/** Empty rows the form offers beyond the filled ones, so a trainer can add answers without JavaScript. */
export const SPARE_ROWS = 2;

export interface DraftRow {
  /** Kept across edits, so attempts and statistics keep pointing at the same option or pair. */
  id: string;
  /** An option's text, or a matching pair's left side. */
  text: LocalText;
  /** A matching pair's right side. */
  right: LocalText;
  /** An accepted short answer (typed in whichever language members answer in). */
  answer: string;
  value: string;
  tolerance: string;
  weight: string;
  feedback: LocalText;
}

export interface QuestionDraft {
  type: QuestionType;
  name: string;
  points: string;
  tags: string;
  text: LocalText;
  explanation: LocalText;
  partialCredit: string;
  /** True/false: 'true', 'false' or '' (not chosen yet). */
  answer: string;
  feedbackTrue: LocalText;
  feedbackFalse: LocalText;
  caseSensitive: boolean;
  rows: DraftRow[];
}

export type DraftErrors = Record<string, string>;

const ROW_ID = /^[\w-]{1,16}$/;
const TEXT_MAX = 20_000;
const OPTION_MAX = 2_000;
const ANSWER_MAX = 500;
const TAG_MAX = 60;
const TAGS_MAX = 20;

const blankRow = (): DraftRow => ({
  id: '',
  text: {},
  right: {},
  answer: '',
  value: '',
  tolerance: '',
  weight: '',
  feedback: {},
});

export function blankDraft(type: QuestionType): QuestionDraft {
  return {
    type,
    name: '',
    points: '1',
    tags: '',
    text: {},
    explanation: {},
    partialCredit: 'proportional',
    answer: '',
    feedbackTrue: {},
    feedbackFalse: {},
    caseSensitive: false,
    rows: [],
  };
}

const num = (n: number) => String(n);

/** The form as it shows a stored question. */
export function draftOf(q: Question): QuestionDraft {
  const draft = {
    ...blankDraft(q.type),
    name: q.name,
    points: num(q.points),
    tags: q.tags.join(', '),
    text: { ...q.text },
    explanation: { ...q.explanation },
  };
  switch (q.type) {
    case 'single':
    case 'multiple':
      draft.rows = q.options.map((o) => ({
        ...blankRow(),
        id: o.id,
        text: { ...o.text },
        weight: num(o.weight),
        feedback: { ...o.feedback },
      }));
      if (q.type === 'multiple') draft.partialCredit = q.partialCredit;
      break;
    case 'truefalse':
      draft.answer = String(q.answer);
      draft.feedbackTrue = { ...q.feedbackTrue };
      draft.feedbackFalse = { ...q.feedbackFalse };
      break;
    case 'short':
      draft.caseSensitive = q.caseSensitive;
      draft.rows = q.accepted.map((a) => ({
        ...blankRow(),
        answer: a.text,
        weight: num(a.weight),
        feedback: { ...a.feedback },
      }));
      break;
    case 'numerical':
      draft.rows = q.answers.map((a) => ({
        ...blankRow(),
        value: num(a.value),
        tolerance: num(a.tolerance),
        weight: num(a.weight),
        feedback: { ...a.feedback },
      }));
      break;
    case 'matching':
      draft.rows = q.pairs.map((p) => ({
        ...blankRow(),
        id: p.id,
        text: { ...p.left },
        right: { ...p.right },
      }));
      break;
  }
  return draft;
}

// What a request body may hold is unknown: every read below takes strings only and ignores the rest.
const str = (v: unknown, max = TEXT_MAX + 1) => (typeof v === 'string' ? v.slice(0, max) : '');
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const texts = (v: unknown, locales: readonly Locale[], max?: number): LocalText => {
  const r = record(v);
  return Object.fromEntries(locales.map((l) => [l, str(r[l], max)]));
};

/**
 * The body's rows in index order. The body parser gives an array up to 20 indices and an object with
 * numeric keys beyond; both are read, and no more than MAX_ROWS.
 */
function bodyRows(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.slice(0, MAX_ROWS);
  return Object.entries(record(v))
    .filter(([k]) => /^\d{1,3}$/.test(k))
    .sort(([a], [b]) => Number(a) - Number(b))
    .slice(0, MAX_ROWS)
    .map(([, row]) => row);
}

/** The form as submitted, for checking and, when something is wrong, for showing again as typed. */
export function draftFromBody(body: unknown, type: QuestionType, locales: readonly Locale[]): QuestionDraft {
  const b = record(body);
  const rows = bodyRows(b.rows).map((raw) => {
    const r = record(raw);
    const id = str(r.id, 16);
    return {
      id: ROW_ID.test(id) ? id : '',
      text: texts(r.text, locales, OPTION_MAX + 1),
      right: texts(r.right, locales, OPTION_MAX + 1),
      answer: str(r.answer, ANSWER_MAX + 1),
      value: str(r.value, 40),
      tolerance: str(r.tolerance, 40),
      weight: str(r.weight, 40),
      feedback: texts(r.feedback, locales, OPTION_MAX + 1),
    };
  });
  return {
    type,
    name: str(b.name, 201),
    points: str(b.points, 40),
    tags: str(b.tags, 2000),
    text: texts(b.text, locales),
    explanation: texts(b.explanation, locales),
    partialCredit: str(b.partialCredit, 20),
    answer: str(b.answer, 5),
    feedbackTrue: texts(b.feedbackTrue, locales, OPTION_MAX + 1),
    feedbackFalse: texts(b.feedbackFalse, locales, OPTION_MAX + 1),
    caseSensitive: b.caseSensitive !== undefined,
    rows,
  };
}

// What a reader cannot see (spaces, joiners, direction marks): a text made only of these is empty.
const INVISIBLE = /[\s\u00ad\u061c\u200b-\u200f\u2060-\u2064\ufeff]/g;
const visible = (text: string | undefined) => (text ?? '').replace(INVISIBLE, '') !== '';

const hasText = (t: LocalText) => Object.values(t).some((v) => (v ?? '').trim() !== '');
const rowIsEmpty = (r: DraftRow) =>
  !hasText(r.text) &&
  !hasText(r.right) &&
  !hasText(r.feedback) &&
  !r.answer.trim() &&
  !r.value.trim() &&
  !r.tolerance.trim() &&
  !r.weight.trim();

/**
 * Room for more answers: the rows up to the last filled one, then SPARE_ROWS (or `extra`) empty ones, never
 * beyond MAX_ROWS. Only trailing empty rows are dropped, so a message about row N still points at row N.
 */
export function withSpareRows(draft: QuestionDraft, extra = SPARE_ROWS): QuestionDraft {
  if (draft.type === 'truefalse') return draft;
  const rows = [...draft.rows];
  while (rows.length && rowIsEmpty(rows[rows.length - 1]!)) rows.pop();
  const count = Math.min(MAX_ROWS, rows.length + extra);
  while (rows.length < count) rows.push(blankRow());
  return { ...draft, rows };
}

/**
 * Checks a draft and builds the question. Errors are message keys by field: `text` (the main language's
 * text missing), `text.<lang>` and `explanation.<lang>` (a text refused), `points`, `tags`, `rows` (the
 * answers as a whole), `rows.N` (one row, numbered as the form shows it), `answer`.
 */
export function questionFromDraft(
  draft: QuestionDraft,
  locales: readonly Locale[],
  primary: Locale,
  newId: () => string,
): { ok: true; question: Question } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const fail = (field: string, message: string) => {
    errors[field] ??= message;
  };
  const cleanText = (field: string, t: LocalText, max: number, long: boolean): LocalText => {
    const schema = long ? optionalLongText(max) : optionalText(max);
    const out: LocalText = {};
    for (const l of locales) {
      const parsed = schema.safeParse(t[l] ?? '');
      if (parsed.success) out[l] = parsed.data;
      // The texts of the question itself are reported by language (`text.fa-AF`), so the message sits
      // under the box that holds the problem; a row's are reported for the row.
      else
        fail(
          field.startsWith('rows.') ? field : `${field}.${l}`,
          parsed.error.issues[0]?.message ?? 'validation.tooLong',
        );
    }
    return out;
  };

  const name = optionalText(200).safeParse(draft.name);
  if (!name.success) fail('name', name.error.issues[0]?.message ?? 'validation.tooLong');
  const text = cleanText('text', draft.text, TEXT_MAX, true);
  if (!errors[`text.${primary}`] && !visible(text[primary]))
    fail('text', 'quizzes.editor.errors.textRequired');
  const explanation = cleanText('explanation', draft.explanation, TEXT_MAX, true);
  // Left empty, a question is worth one point, as in GIFT.
  const points = draft.points.trim() ? parseNumber(draft.points) : 1;
  if (points === null || points < 0 || points > 1000) fail('points', 'quizzes.editor.errors.points');
  const tags = [
    ...new Set(
      draft.tags
        .split(/[,،]/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.length > TAGS_MAX || tags.some((t) => t.length > TAG_MAX))
    fail('tags', 'quizzes.editor.errors.tags');

  // Rows keep their form position in messages ("answer 3"), so they are checked before empty ones are dropped.
  const filled = draft.rows.map((row, index) => ({ row, index })).filter(({ row }) => !rowIsEmpty(row));
  const weightOf = (row: DraftRow, index: number, blank: number) => {
    if (!row.weight.trim()) return blank;
    const w = parseNumber(row.weight);
    if (w === null || w < -100 || w > 100) {
      fail(`rows.${index}`, 'quizzes.editor.errors.weight');
      return 0;
    }
    return w;
  };
  const feedbackOf = (row: DraftRow, index: number) =>
    cleanText(`rows.${index}`, row.feedback, OPTION_MAX, false);
  const ids = new Set<string>();
  const idOf = (row: DraftRow) => {
    const id = row.id && !ids.has(row.id) ? row.id : newId();
    ids.add(id);
    return id;
  };

  const common = { name: name.success ? name.data : '', text, explanation, points: points ?? 1, tags };
  let question: Question | null = null;
  switch (draft.type) {
    case 'single':
    case 'multiple': {
      const options = filled.map(({ row, index }) => {
        const optionText = cleanText(`rows.${index}`, row.text, OPTION_MAX, false);
        if (!optionText[primary]) fail(`rows.${index}`, 'quizzes.editor.errors.optionText');
        return {
          id: idOf(row),
          text: optionText,
          weight: weightOf(row, index, 0),
          feedback: feedbackOf(row, index),
        };
      });
      if (options.length < 2) fail('rows', 'quizzes.editor.errors.twoOptions');
      const best = Math.max(0, ...options.map((o) => o.weight));
      if (draft.type === 'single') {
        if (options.length >= 2 && best !== 100) fail('rows', 'quizzes.editor.errors.singleRight');
        question = { ...common, type: 'single', options };
      } else {
        if (options.length >= 2 && best <= 0) fail('rows', 'quizzes.editor.errors.someRight');
        const rule = PARTIAL_CREDIT_RULES.find((r) => r === draft.partialCredit);
        if (!rule) fail('partialCredit', 'quizzes.editor.errors.partialCredit');
        // Scored by shares, the right options must make up the whole: 50 + 50, not 100 + 100 (where one
        // of two would earn full points) or 30 + 30 (where nobody could).
        const total = options.reduce((sum, o) => sum + Math.max(0, o.weight), 0);
        if (rule === 'weights' && best > 0 && Math.abs(total - 100) > 0.5)
          fail('rows', 'quizzes.editor.errors.weightsTotal');
        question = {
          ...common,
          type: 'multiple',
          options,
          partialCredit: rule ?? 'proportional',
        };
      }
      break;
    }
    case 'truefalse':
      if (draft.answer !== 'true' && draft.answer !== 'false')
        fail('answer', 'quizzes.editor.errors.trueOrFalse');
      question = {
        ...common,
        type: 'truefalse',
        answer: draft.answer === 'true',
        feedbackTrue: cleanText('feedbackTrue', draft.feedbackTrue, OPTION_MAX, false),
        feedbackFalse: cleanText('feedbackFalse', draft.feedbackFalse, OPTION_MAX, false),
      };
      break;
    case 'short': {
      const accepted = filled.map(({ row, index }) => {
        const answer = optionalText(ANSWER_MAX).safeParse(row.answer);
        if (!answer.success) fail(`rows.${index}`, answer.error.issues[0]?.message ?? 'validation.tooLong');
        else if (!visible(answer.data)) fail(`rows.${index}`, 'quizzes.editor.errors.answerText');
        return {
          text: answer.success ? answer.data : '',
          weight: weightOf(row, index, 100),
          feedback: feedbackOf(row, index),
        };
      });
      if (!accepted.some((a) => a.weight === 100)) fail('rows', 'quizzes.editor.errors.fullMarks');
      question = { ...common, type: 'short', accepted, caseSensitive: draft.caseSensitive };
      break;
    }
    case 'numerical': {
      const answers = filled.map(({ row, index }) => {
        const value = parseNumber(row.value);
        const tolerance = row.tolerance.trim() ? parseNumber(row.tolerance) : 0;
        if (value === null) fail(`rows.${index}`, 'quizzes.editor.errors.value');
        if (tolerance === null || tolerance < 0) fail(`rows.${index}`, 'quizzes.editor.errors.tolerance');
        return {
          value: value ?? 0,
          tolerance: tolerance ?? 0,
          weight: weightOf(row, index, 100),
          feedback: feedbackOf(row, index),
        };
      });
      if (!answers.some((a) => a.weight === 100)) fail('rows', 'quizzes.editor.errors.fullMarks');
      question = { ...common, type: 'numerical', answers };
      break;
    }
    case 'matching': {
      const pairs = filled.map(({ row, index }) => {
        const left = cleanText(`rows.${index}`, row.text, OPTION_MAX, false);
        const right = cleanText(`rows.${index}`, row.right, OPTION_MAX, false);
        if (!left[primary] || !right[primary]) fail(`rows.${index}`, 'quizzes.editor.errors.pairSides');
        return { id: idOf(row), left, right };
      });
      if (pairs.length < 2) fail('rows', 'quizzes.editor.errors.twoPairs');
      // Two pairs that read alike cannot be told apart by a member, and would be graded as different.
      const distinct = (side: 'left' | 'right') =>
        new Set(pairs.map((p) => (p[side][primary] ?? '').trim().toLowerCase())).size === pairs.length;
      if (pairs.length >= 2 && (!distinct('left') || !distinct('right')))
        fail('rows', 'quizzes.editor.errors.pairsDistinct');
      question = { ...common, type: 'matching', pairs };
      break;
    }
  }
  return Object.keys(errors).length || !question ? { ok: false, errors } : { ok: true, question };
}
