import { expect } from 'chai';
import { normaliseAnswerText, parseNumber } from '../../../src/quizzes/grading/normalise.js';

const same = (a: string, b: string) => expect(normaliseAnswerText(a)).to.equal(normaliseAnswerText(b));
const different = (a: string, b: string) =>
  expect(normaliseAnswerText(a)).to.not.equal(normaliseAnswerText(b));

describe('grading: normaliseAnswerText reads Dari, Pashto and English answers as meant', () => {
  it('Arabic-keyboard ي and ى read as the Persian ی', () => {
    same('علي', 'علی');
    same('مصطفى', 'مصطفی');
    expect(normaliseAnswerText('ولسوالي')).to.equal('ولسوالی');
  });

  it('a known, chosen leniency: Pashto word-final ي and ی (سړي men, سړی man) read alike', () => {
    same('سړي', 'سړی');
  });

  it('Arabic-keyboard ك reads as the Persian ک', () => {
    same('كابل', 'کابل');
    expect(normaliseAnswerText('كتاب')).to.equal('کتاب');
  });

  it('«میروم», «می روم» and «می‌روم» (ZWNJ) are one answer, however many spaces or joiners', () => {
    const key = normaliseAnswerText('میروم');
    for (const typed of ['می روم', 'می\u200cروم', ' می \u200c  روم ', 'می\u00a0روم', 'مي\u200cروم']) {
      expect(normaliseAnswerText(typed), JSON.stringify(typed)).to.equal(key);
    }
  });

  it('compound words match whether written joined, with ZWNJ or with a space', () => {
    same('کتابخانه', 'کتاب خانه');
    same('کتاب‌خانه', 'کتاب خانه');
    same('حقوق بشر', 'حقوق‌بشر');
  });

  it('tatweel and Arabic vowel marks are ignored', () => {
    same('ســـــلام', 'سلام');
    same('سَلام', 'سلام');
    same('مُحَمَّد', 'محمد');
    same('رحمٰن', 'رحمن');
  });

  it('alef with hamza or madda reads as plain alef, ta marbuta and ezafe ۀ as ه', () => {
    same('إسلام', 'اسلام');
    same('أفغانستان', 'افغانستان');
    same('آزادی', 'ازادی');
    same('ا\u0653زادی', 'آزادی');
    same('علامة', 'علامه');
    same('خانۀ', 'خانه');
    same('خانهٔ', 'خانه');
  });

  it('Pashto ې, ۍ and ئ stay letters of their own and are not merged with ی', () => {
    different('ښځې', 'ښځی');
    different('ښځۍ', 'ښځی');
    different('ښځې', 'ښځۍ');
    different('ئ', 'ی');
    expect(normaliseAnswerText('ډېر')).to.equal('ډېر');
    expect(normaliseAnswerText('ګل')).to.equal('ګل');
  });

  it('Persian, Arabic-Indic and ASCII digits read alike, with ٫ as the decimal point', () => {
    expect(normaliseAnswerText('۵')).to.equal('5');
    expect(normaliseAnswerText('٥')).to.equal('5');
    expect(normaliseAnswerText('ماده ۲۴')).to.equal('ماده 24');
    expect(normaliseAnswerText('۳٫۵')).to.equal('3.5');
  });

  it('Latin letters are case-folded unless the question is case sensitive; spaces between Latin words stay', () => {
    same('Human Rights', 'human   rights');
    different('human rights', 'humanrights');
    expect(normaliseAnswerText('UNHCR', true)).to.equal('UNHCR');
    expect(normaliseAnswerText('UNHCR', true)).to.not.equal(normaliseAnswerText('unhcr', true));
    expect(normaliseAnswerText('ISTANBUL')).to.equal('istanbul');
  });

  it('compatibility forms, invisible marks and surrounding space disappear', () => {
    same('\ufeff\u200fKabul\u200e\u00a0', 'kabul');
    same('ＫＡＢＵＬ', 'kabul');
    same('ﻻ', 'لا');
  });

  it('blank or non-string input gives an empty key', () => {
    expect(normaliseAnswerText(' \u200c\u00a0\t\n')).to.equal('');
    expect(normaliseAnswerText(42 as unknown as string)).to.equal('');
    expect(normaliseAnswerText(null as unknown as string)).to.equal('');
  });
});

describe('grading: parseNumber reads a plain number in any of the three digit scripts', () => {
  const cases: [string, number | null][] = [
    ['5', 5],
    ['۵', 5],
    ['٥', 5],
    ['۳٫۵', 3.5],
    ['٣٫٥', 3.5],
    ['3.5', 3.5],
    ['  ۱۲  ', 12],
    ['-4', -4],
    ['\u22124.5', -4.5],
    ['+7', 7],
    ['-0', 0],
    ['.5', 0.5],
    ['5.', 5],
    ['007', 7],
    ['1,500', 1500],
    ['1,500,000.25', 1500000.25],
    ['۱٬۵۰۰', 1500],
    ['\u200f۴۲\u200e', 42],
    ['１２', 12],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} reads as ${expected}`, () => {
      expect(parseNumber(text)).to.equal(expected);
    });
  }

  it('"-0" gives 0, not -0', () => {
    expect(Object.is(parseNumber('-0'), 0)).to.equal(true);
  });

  const rejected = [
    '',
    '   ',
    '.',
    '-',
    '1,5',
    '12,34',
    '1,5000',
    '1,500٬000',
    '1 500',
    '3/5',
    '1e5',
    '1E5',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    '1.2.3',
    '5-',
    '- 5',
    '--5',
    '5 kg',
    '50%',
    'five',
    '۵ و ۶',
    '9'.repeat(400),
  ];
  for (const text of rejected) {
    it(`${JSON.stringify(text.length > 20 ? text.slice(0, 20) + '…' : text)} is not a number (null)`, () => {
      expect(parseNumber(text)).to.equal(null);
    });
  }

  it('a non-string gives null', () => {
    expect(parseNumber(5 as unknown as string)).to.equal(null);
    expect(parseNumber(undefined as unknown as string)).to.equal(null);
  });
});
