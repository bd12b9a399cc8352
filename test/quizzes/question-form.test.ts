import { expect } from 'chai';
import {
  blankDraft,
  draftFromBody,
  draftOf,
  MAX_ROWS,
  questionFromDraft,
  withSpareRows,
  type QuestionDraft,
} from '../../src/quizzes/question-form.js';
import type { Question, QuestionType } from '../../src/quizzes/question.types.js';

const LOCALES = ['en', 'fa-AF'] as const;
let counter = 0;
const newId = () => `n${++counter}`;
const check = (draft: QuestionDraft) => questionFromDraft(draft, LOCALES, 'en', newId);
const errorsOf = (draft: QuestionDraft) => {
  const result = check(draft);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
};
const questionOf = (draft: QuestionDraft) => {
  const result = check(draft);
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.question;
};

/** A body as the browser sends it, with brackets, read the way the body parser reads it. */
const draft = (type: QuestionType, body: Record<string, unknown>) => draftFromBody(body, type, LOCALES);

describe('question editor form', () => {
  it('a single-choice question with texts in two languages, feedback and Persian digits in the points', () => {
    const q = questionOf(
      draft('single', {
        name: ' Tier ',
        points: '۲٫۵',
        tags: 'law, tiers، law',
        text: { en: 'Which tier?', 'fa-AF': 'کدام رده؟' },
        explanation: { en: 'See the report.' },
        rows: [
          { text: { en: 'Tier 3', 'fa-AF': 'ردهٔ ۳' }, weight: '100', feedback: { en: 'Yes' } },
          { text: { en: 'Tier 1' }, weight: '', feedback: {} },
          { text: {}, weight: '', feedback: {} },
        ],
      }),
    );
    expect(q).to.include({ type: 'single', name: 'Tier', points: 2.5 });
    expect(q.tags).to.deep.equal(['law', 'tiers']);
    expect(q.text).to.deep.equal({ en: 'Which tier?', 'fa-AF': 'کدام رده؟' });
    if (q.type !== 'single') throw new Error('type');
    expect(q.options.map((o) => o.weight)).to.deep.equal([100, 0]);
    expect(q.options[0]!.text['fa-AF']).to.equal('ردهٔ ۳');
    expect(q.options[0]!.feedback.en).to.equal('Yes');
    expect(new Set(q.options.map((o) => o.id)).size).to.equal(2);
  });

  it('refuses what a question cannot be, naming the field and the row as the form numbers it', () => {
    expect(
      errorsOf(draft('single', { text: { 'fa-AF': 'فقط دری' }, points: 'x', rows: [] })),
    ).to.deep.include({
      text: 'quizzes.editor.errors.textRequired',
      points: 'quizzes.editor.errors.points',
      rows: 'quizzes.editor.errors.twoOptions',
    });
    const noRight = errorsOf(
      draft('single', {
        text: { en: 'Q' },
        rows: [{ text: { en: 'a' }, weight: '50' }, { text: { en: 'b' } }],
      }),
    );
    expect(noRight.rows).to.equal('quizzes.editor.errors.singleRight');
    const badRow = errorsOf(
      draft('multiple', {
        text: { en: 'Q' },
        partialCredit: 'proportional',
        rows: [{ text: { en: 'a' }, weight: '100' }, {}, { text: { 'fa-AF': 'ب' }, weight: '200' }],
      }),
    );
    expect(badRow['rows.2']).to.be.oneOf([
      'quizzes.editor.errors.optionText',
      'quizzes.editor.errors.weight',
    ]);
    expect(badRow).not.to.have.property('rows.1');
    expect(
      errorsOf(draft('multiple', { text: { en: 'Q' }, partialCredit: 'guess', rows: [] })).partialCredit,
    ).to.equal('quizzes.editor.errors.partialCredit');
    expect(errorsOf(draft('truefalse', { text: { en: 'Q' }, answer: 'maybe' })).answer).to.equal(
      'quizzes.editor.errors.trueOrFalse',
    );
    // A refused text is reported under its own language's box.
    expect(errorsOf(draft('single', { text: { en: 'Q', 'fa-AF': 'سؤال\u202e' } }))['text.fa-AF']).to.equal(
      'validation.badCharacters',
    );
    expect(errorsOf(draft('single', { text: { en: 'Q\u202e' } }))['text.en']).to.equal(
      'validation.badCharacters',
    );
    expect(
      errorsOf(
        draft('single', {
          text: { en: 'Q' },
          tags: Array.from({ length: 22 }, (_, i) => `t${i}`).join(','),
        }),
      ).tags,
    ).to.equal('quizzes.editor.errors.tags');
  });

  it('refuses questions nobody could answer rightly, or that would give full points for half an answer', () => {
    const multiple = (weights: string[]) =>
      draft('multiple', {
        text: { en: 'Q' },
        partialCredit: 'weights',
        rows: weights.map((weight, i) => ({ text: { en: `o${i}` }, weight })),
      });
    expect(errorsOf(multiple(['100', '100', '0'])).rows).to.equal('quizzes.editor.errors.weightsTotal');
    expect(errorsOf(multiple(['30', '30', '0'])).rows).to.equal('quizzes.editor.errors.weightsTotal');
    expect(check(multiple(['33.33', '33.33', '33.33', '-100'])).ok).to.equal(true);
    expect(
      errorsOf(draft('short', { text: { en: 'Q' }, rows: [{ answer: 'TIP', weight: '50' }] })).rows,
    ).to.equal('quizzes.editor.errors.fullMarks');
    expect(
      errorsOf(draft('numerical', { text: { en: 'Q' }, rows: [{ value: '3', weight: '50' }] })).rows,
    ).to.equal('quizzes.editor.errors.fullMarks');
    expect(
      errorsOf(draft('short', { text: { en: 'Q' }, rows: [{ answer: '\u200c\u200c' }] }))['rows.0'],
    ).to.equal('quizzes.editor.errors.answerText');
    expect(errorsOf(draft('truefalse', { text: { en: '\u200b ' }, answer: 'true' })).text).to.equal(
      'quizzes.editor.errors.textRequired',
    );
    const twins = draft('matching', {
      text: { en: 'Match' },
      rows: [
        { text: { en: 'Tier 3' }, right: { en: 'lowest' } },
        { text: { en: 'tier 3 ' }, right: { en: 'highest' } },
      ],
    });
    expect(errorsOf(twins).rows).to.equal('quizzes.editor.errors.pairsDistinct');
  });

  it('each type round-trips: stored question → form → the same question', () => {
    const questions: Question[] = [
      {
        type: 'multiple',
        name: '',
        text: { en: 'Which are forms of exploitation?', 'fa-AF': 'کدام‌ها؟' },
        explanation: { en: '', 'fa-AF': '' },
        points: 2,
        tags: ['exploitation'],
        partialCredit: 'weights',
        options: [
          {
            id: 'a1',
            text: { en: 'Bacha bazi', 'fa-AF': 'بچه‌بازی' },
            weight: 50,
            feedback: { en: '', 'fa-AF': '' },
          },
          {
            id: 'b2',
            text: { en: 'Child soldiers', 'fa-AF': '' },
            weight: 50,
            feedback: { en: 'Yes', 'fa-AF': '' },
          },
          { id: 'c3', text: { en: 'Tourism', 'fa-AF': '' }, weight: -50, feedback: { en: '', 'fa-AF': '' } },
        ],
      },
      {
        type: 'truefalse',
        name: 'CPU',
        text: { en: 'Units prevented recruitment.', 'fa-AF': '' },
        explanation: { en: '', 'fa-AF': '' },
        points: 1,
        tags: [],
        answer: false,
        feedbackTrue: { en: 'No', 'fa-AF': '' },
        feedbackFalse: { en: '', 'fa-AF': 'درست' },
      },
      {
        type: 'short',
        name: '',
        text: { en: 'Name the tier', 'fa-AF': '' },
        explanation: { en: '', 'fa-AF': '' },
        points: 1,
        tags: [],
        caseSensitive: true,
        accepted: [
          { text: 'Tier 3', weight: 100, feedback: { en: '', 'fa-AF': '' } },
          { text: 'ردهٔ سوم', weight: 100, feedback: { en: '', 'fa-AF': 'آفرین' } },
        ],
      },
      {
        type: 'numerical',
        name: '',
        text: { en: 'How many?', 'fa-AF': '' },
        explanation: { en: '', 'fa-AF': '' },
        points: 1,
        tags: [],
        answers: [
          { value: 357, tolerance: 0, weight: 100, feedback: { en: '', 'fa-AF': '' } },
          { value: 350, tolerance: 10, weight: 50, feedback: { en: 'Close', 'fa-AF': '' } },
        ],
      },
      {
        type: 'matching',
        name: '',
        text: { en: 'Match', 'fa-AF': '' },
        explanation: { en: '', 'fa-AF': '' },
        points: 3,
        tags: [],
        pairs: [
          {
            id: 'p1',
            left: { en: 'Tier 1', 'fa-AF': '' },
            right: { en: 'meets the standards', 'fa-AF': '' },
          },
          { id: 'p2', left: { en: 'Tier 3', 'fa-AF': '' }, right: { en: 'does not', 'fa-AF': '' } },
        ],
      },
    ];
    for (const q of questions) expect(questionOf(withSpareRows(draftOf(q)))).to.deep.equal(q);
  });

  it('keeps row ids across an edit and gives new rows (and a forged duplicate) fresh ones', () => {
    const q = questionOf(
      draft('matching', {
        text: { en: 'Match' },
        rows: [
          { id: 'keep1', text: { en: 'a' }, right: { en: '1' } },
          { id: 'keep1', text: { en: 'b' }, right: { en: '2' } },
          { id: '<bad id>', text: { en: 'c' }, right: { en: '3' } },
        ],
      }),
    );
    if (q.type !== 'matching') throw new Error('type');
    expect(q.pairs[0]!.id).to.equal('keep1');
    expect(new Set(q.pairs.map((p) => p.id)).size).to.equal(3);
    expect(q.pairs[2]!.id).to.match(/^n\d+$/);
  });

  it('reads rows past the body parser’s array limit, stops at MAX_ROWS, and ignores what is not a string', () => {
    const rows: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) rows[String(i)] = { answer: `a${i}`, weight: ['100'] };
    const d = draft('short', { text: { en: 'Q', 'fa-AF': { $gt: '' } }, rows, caseSensitive: 'on' });
    expect(d.rows).to.have.length(MAX_ROWS);
    expect(d.rows[0]!.weight).to.equal('');
    expect(d.text['fa-AF']).to.equal('');
    const q = questionOf(d);
    if (q.type !== 'short') throw new Error('type');
    expect(q.accepted[19]!.text).to.equal('a19');
    expect(q.accepted.every((a) => a.weight === 100)).to.equal(true);
    expect(q.caseSensitive).to.equal(true);
  });

  it('numbers: Persian digits and an Arabic decimal point are read; a bad value or negative tolerance is refused', () => {
    const q = questionOf(
      draft('numerical', { text: { en: 'Q' }, rows: [{ value: '۳۵۷', tolerance: '٠٫٥' }] }),
    );
    if (q.type !== 'numerical') throw new Error('type');
    expect(q.answers[0]).to.include({ value: 357, tolerance: 0.5, weight: 100 });
    const errors = errorsOf(
      draft('numerical', { text: { en: 'Q' }, rows: [{ value: 'many' }, { value: '1', tolerance: '-1' }] }),
    );
    expect(errors['rows.0']).to.equal('quizzes.editor.errors.value');
    expect(errors['rows.1']).to.equal('quizzes.editor.errors.tolerance');
  });

  it('offers spare rows up to the limit, and none for true/false', () => {
    expect(withSpareRows(blankDraft('single'), 4).rows).to.have.length(4);
    const filled = (n: number) =>
      draft('single', { rows: Array.from({ length: n }, (_, i) => ({ text: { en: `o${i}` } })) });
    expect(withSpareRows(filled(19), 5).rows).to.have.length(MAX_ROWS);
    // Trailing empty rows are replaced, not added to; an empty row between filled ones keeps its place.
    const gap = draft('single', { rows: [{ text: { en: 'a' } }, {}, { text: { en: 'c' } }, {}, {}, {}] });
    expect(withSpareRows(gap).rows.map((r) => r.text.en ?? '')).to.deep.equal(['a', '', 'c', '', '']);
    expect(withSpareRows(blankDraft('truefalse')).rows).to.have.length(0);
  });
});
