import { expect } from 'chai';
import type { Locale } from '../../../src/core/i18n.js';
import type { ParsedQuestion, Question } from '../../../src/quizzes/question.types.js';
import { fromParsed, tagsFromCategory } from '../../../src/quizzes/formats/from-parsed.js';
import { parseGift } from '../../../src/quizzes/formats/gift.js';
import { toGift } from '../../../src/quizzes/formats/gift-export.js';
import { readFixture } from './read-fixture.js';

/** Ids counted from 0 for each conversion, so that two conversions of the same questions compare equal. */
function toBank(parsed: ParsedQuestion[], locale: Locale): Question[] {
  let next = 0;
  return parsed.map((q) => fromParsed(q, locale, () => `id${next++}`));
}

/** Export, import again, and give what came back (with the problems, which should be none). */
function roundTrip(questions: Question[], locale: Locale) {
  const gift = toGift(questions, locale);
  const { questions: parsed, problems } = parseGift(gift);
  return { gift, problems, back: toBank(parsed, locale), parsed };
}

const base = { name: '', explanation: {}, points: 1, tags: [] };

describe('toGift then parseGift gives back the same questions', () => {
  const fixtures: [string, Locale][] = [
    ['moodle-docs.gift', 'en'],
    ['dari-trafficking.gift', 'fa-AF'],
    ['pashto-trafficking.gift', 'ps-AF'],
  ];
  for (const [file, locale] of fixtures) {
    it(`for every question of ${file}`, () => {
      const original = parseGift(readFixture('gift', file)).questions;
      const bank = toBank(original, locale);
      const { problems, back, parsed } = roundTrip(bank, locale);
      expect(problems).to.deep.equal([]);
      expect(back).to.deep.equal(bank);
      // The parsed form too, but for source lines and the Moodle-only "$course$/top/" of a category.
      const comparable = (q: ParsedQuestion) => ({
        ...q,
        line: 0,
        category: tagsFromCategory(q.category).join('/'),
      });
      expect(parsed.map(comparable)).to.deep.equal(original.map(comparable));
    });
  }
});

describe('fromParsed', () => {
  const parse = (source: string) => parseGift(source).questions[0]!;

  it('gives tags from the category path, ids from newId, 1 point and no empty texts', () => {
    const question = fromParsed(
      parse('$CATEGORY: $course$/top/law//policy/advocacy\n::n::Q {=a ~b}'),
      'fa-AF',
      () => 'x',
    );
    expect(question).to.deep.equal({
      name: 'n',
      text: { 'fa-AF': 'Q' },
      explanation: {},
      points: 1,
      tags: ['law/policy', 'advocacy'],
      type: 'single',
      options: [
        { id: 'x', text: { 'fa-AF': 'a' }, weight: 100, feedback: {} },
        { id: 'x', text: { 'fa-AF': 'b' }, weight: 0, feedback: {} },
      ],
    });
  });

  it("chooses 'proportional' only when it grades exactly as the weights do", () => {
    const rule = (source: string) =>
      (fromParsed(parse(source), 'en', () => 'x') as { partialCredit?: string }).partialCredit;
    expect(rule('Q {~%50%a ~%50%b ~c}')).to.equal('proportional');
    expect(rule('Q {~%50%a ~%50%b ~%-50%c}')).to.equal('proportional');
    expect(rule('Q {~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}')).to.equal('proportional');
    expect(rule('Q {~%50%a ~%50%b ~%-100%c}')).to.equal('weights');
    expect(rule('Q {~%70%a ~%30%b ~c}')).to.equal('weights');
  });

  it('makes short answers case-insensitive, as GIFT has no way to say otherwise', () => {
    expect(fromParsed(parse('Q {=Kabul}'), 'en', () => 'x')).to.include({
      type: 'short',
      caseSensitive: false,
    });
  });
});

describe('toGift', () => {
  it('writes GIFT that Moodle reads: names, [markdown], "=" and "~%w%", feedback and ####', () => {
    const bank = toBank(parseGift(readFixture('gift', 'moodle-docs.gift')).questions, 'en');
    const gift = toGift(bank, 'en');
    expect(gift).to.contain(
      "::Jesus' hometown::[markdown]Jesus Christ was from {\n~Jerusalem#This was an important city, but the wrong answer.\n~%25%Bethlehem#",
    );
    expect(gift).to.contain('[markdown]When was Ulysses S. Grant born? {\n#1822:5\n}');
    expect(gift).to.contain('=Canada -> Ottawa\n');
    expect(gift).to.contain('####Spiders are arachnids, not insects.\n}');
    expect(gift).to.contain('\n\n$CATEGORY: Grant/Tombs\n\n::Category sample::');
    expect(gift).to.not.match(/\n\n\n/);
  });

  it('writes each text in the chosen language, else in the first of en, fa-AF, ps-AF that has it', () => {
    const question: Question = {
      ...base,
      text: { 'fa-AF': 'کدام؟', en: 'Which?' },
      explanation: { en: 'Because.' },
      type: 'single',
      options: [
        { id: 'a', text: { 'fa-AF': 'الف' }, weight: 100, feedback: { 'fa-AF': 'درست' } },
        { id: 'b', text: { en: 'B', 'ps-AF': 'ب' }, weight: 0, feedback: { en: '  ' } },
      ],
    };
    expect(toGift([question], 'ps-AF')).to.equal('[markdown]Which? {\n=الف#درست\n~ب\n####Because.\n}\n');
  });

  it('escapes what GIFT reserves and keeps line breaks, so no text can break the file', () => {
    const tricky = 'a {b} ~c =d #e: f\\g\n\nsecond paragraph\n// not a comment\n$CATEGORY: not one';
    const question: Question = {
      ...base,
      name: 'Q::1',
      text: { en: `// ${tricky}` },
      explanation: { en: '[html] stays' },
      tags: ['law/policy', 'advocacy'],
      type: 'multiple',
      partialCredit: 'weights',
      options: [
        { id: 'a', text: { en: '%50% of victims' }, weight: 60, feedback: { en: `#${tricky}` } },
        { id: 'b', text: { en: '[plain] stays' }, weight: 40, feedback: {} },
        { id: 'c', text: { en: 'a -> b' }, weight: 0, feedback: {} },
      ],
    };
    const { gift, problems, back } = roundTrip([question], 'en');
    expect(problems).to.deep.equal([]);
    expect(
      gift.startsWith('$CATEGORY: law//policy/advocacy\n\n::Q\\:\\:1::[markdown]// a \\{b\\} \\~c'),
    ).to.equal(true);
    expect(back).to.deep.equal(toBank(parseGift(gift).questions, 'en'));
    expect(back[0]).to.deep.include({
      name: 'Q::1',
      text: { en: `// ${tricky}` },
      explanation: { en: '[html] stays' },
    });
    expect(back[0]!.tags).to.deep.equal(['law/policy', 'advocacy']);
    const options = (back[0] as Extract<Question, { type: 'multiple' }>).options;
    expect(options.map((o) => [o.text.en, o.weight])).to.deep.equal([
      ['%50% of victims', 60],
      ['[plain] stays', 40],
      ['a -> b', 0],
    ]);
    expect(options[0]!.feedback.en).to.equal(`#${tricky}`);
  });

  it('keeps a blank at the end of a text in the text, and one inside as the missing-word place', () => {
    const question = (text: string): Question => ({
      ...base,
      text: { en: text },
      type: 'truefalse',
      answer: true,
      feedbackTrue: {},
      feedbackFalse: {},
    });
    const gift = toGift([question('Ends with _____'), question('_____ starts it')], 'en');
    expect(gift).to.equal('[markdown]Ends with _____ {\nTRUE\n}\n\n[markdown]{\nTRUE\n} starts it\n');
    expect(parseGift(gift).questions.map((q) => q.text)).to.deep.equal([
      'Ends with _____',
      '_____ starts it',
    ]);
  });

  it('keeps true/false feedback on the right side whichever answer is right', () => {
    const tf = (answer: boolean, feedbackTrue: string, feedbackFalse: string): Question => ({
      ...base,
      text: { en: 'Q' },
      type: 'truefalse',
      answer,
      feedbackTrue: feedbackTrue ? { en: feedbackTrue } : {},
      feedbackFalse: feedbackFalse ? { en: feedbackFalse } : {},
    });
    const questions = [
      tf(true, 'yes', 'no'),
      tf(false, 'yes', 'no'),
      tf(true, 'only true', ''),
      tf(false, '', 'only false'),
    ];
    const { gift, back } = roundTrip(questions, 'en');
    expect(back).to.deep.equal(questions);
    expect(gift).to.contain('{\nTRUE#no#yes\n}');
    expect(gift).to.contain('{\nTRUE##only true\n}');
  });

  it('writes numbers so that they read back exactly: negatives, tiny tolerances, several weighted answers', () => {
    const question: Question = {
      ...base,
      text: { en: 'How much?' },
      type: 'numerical',
      answers: [
        { value: -5, tolerance: 1e-7, weight: 100, feedback: { en: 'exact' } },
        { value: 1 / 3, tolerance: 0.5, weight: 50, feedback: {} },
      ],
    };
    const { gift, back } = roundTrip([question], 'en');
    expect(gift).to.contain('{\n#=-5:1e-7#exact\n=%50%0.3333333333333333:0.5\n}');
    expect(back).to.deep.equal([question]);
  });

  it("writes 'proportional' as weights that grade the same, and says 'allOrNothing' as closely as GIFT can", () => {
    const choice = (partialCredit: 'proportional' | 'allOrNothing'): Question => ({
      ...base,
      text: { en: 'Which?' },
      type: 'multiple',
      partialCredit,
      options: [
        { id: 'a', text: { en: 'a' }, weight: 100, feedback: {} },
        { id: 'b', text: { en: 'b' }, weight: 100, feedback: {} },
        { id: 'c', text: { en: 'c' }, weight: 0, feedback: {} },
      ],
    });
    const proportional = roundTrip([choice('proportional')], 'en');
    expect(proportional.gift).to.contain('{\n~%50%a\n~%50%b\n~%-50%c\n}');
    expect(proportional.back[0]).to.include({ partialCredit: 'proportional' });
    const allOrNothing = roundTrip([choice('allOrNothing')], 'en');
    expect(allOrNothing.gift).to.contain('{\n~%50%a\n~%50%b\n~%-100%c\n}');
    expect(allOrNothing.back[0]).to.include({ partialCredit: 'weights' });
  });

  it('writes $CATEGORY only when it changes, and an empty one to leave a category', () => {
    const tf = (tags: string[]): Question => ({
      ...base,
      tags,
      text: { en: 'Q' },
      type: 'truefalse',
      answer: true,
      feedbackTrue: {},
      feedbackFalse: {},
    });
    const gift = toGift([tf([]), tf(['law']), tf(['law']), tf([])], 'en');
    expect(gift.match(/\$CATEGORY:.*/g)).to.deep.equal(['$CATEGORY: law', '$CATEGORY: ']);
    expect(parseGift(gift).questions.map((q) => q.category)).to.deep.equal(['', 'law', 'law', '']);
    expect(toGift([], 'en')).to.equal('');
  });
});
