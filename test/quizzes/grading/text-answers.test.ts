import { expect } from 'chai';
import { gradeResponse } from '../../../src/quizzes/grading/grade.js';
import { fb, numerical, short, untrusted } from './questions.js';

const unanswered = { score: 0, fraction: 0, feedback: null };
const typed = (text: unknown) => untrusted({ type: 'short', text });
const number = (text: unknown) => untrusted({ type: 'numerical', text });

describe('grading: short answer', () => {
  const capital = short([
    ['کابل', 100, 'درست'],
    ['Kabul', 100, 'right'],
    ['کندهار', 0, 'پایتخت پیشین'],
  ]);

  it('an accepted answer earns full points and its feedback', () => {
    expect(gradeResponse(capital, typed('کابل'))).to.deep.equal({
      score: 1,
      fraction: 1,
      feedback: fb('درست'),
    });
  });

  it('the answer typed on an Arabic keyboard, with tatweel or spaces, still matches', () => {
    for (const text of ['كابل', 'كـــابل', '  کابل  ', '\u200fکابل', 'KABUL', ' kabul ']) {
      expect(gradeResponse(capital, typed(text)).score, text).to.equal(1);
    }
  });

  it('a Dari verb matches written joined, with ZWNJ or with a space', () => {
    const verb = short([['می‌روم', 100]]);
    for (const text of ['میروم', 'می روم', 'می‌روم', 'مي روم']) {
      expect(gradeResponse(verb, typed(text)).score, text).to.equal(1);
    }
  });

  it('a Pashto answer with ې is not matched by the same word with ی', () => {
    const women = short([['ښځې', 100]]);
    expect(gradeResponse(women, typed('ښځې')).score).to.equal(1);
    expect(gradeResponse(women, typed('ښځی')).score).to.equal(0);
  });

  it('a listed wrong answer earns its weight (0) and shows its feedback', () => {
    expect(gradeResponse(capital, typed('کندهار'))).to.deep.equal({
      score: 0,
      fraction: 0,
      feedback: fb('پایتخت پیشین'),
    });
  });

  it('an answer matched by several accepted answers earns the best weight', () => {
    const q = short([
      ['UN', 50, 'half'],
      ['un', 100, 'full'],
    ]);
    expect(gradeResponse(q, typed('Un'))).to.deep.equal({ score: 1, fraction: 1, feedback: fb('full') });
  });

  it('a partly right answer earns its share', () => {
    const q = short(
      [
        ['حقوق بشر', 100],
        ['حقوق', 50],
      ],
      false,
      3,
    );
    expect(gradeResponse(q, typed('حقوق'))).to.include({ score: 1.5, fraction: 0.5 });
  });

  it('a case-sensitive question tells case apart', () => {
    const q = short([['pH', 100]], true);
    expect(gradeResponse(q, typed('pH')).score).to.equal(1);
    expect(gradeResponse(q, typed('PH')).score).to.equal(0);
  });

  it('an unlisted answer earns 0 with no feedback', () => {
    expect(gradeResponse(capital, typed('هرات'))).to.deep.equal(unanswered);
  });

  it('a blank answer never matches a blank accepted answer', () => {
    const damaged = short([['', 100]]);
    expect(gradeResponse(damaged, typed('   '))).to.deep.equal(unanswered);
    expect(gradeResponse(damaged, typed('x'))).to.deep.equal(unanswered);
  });

  it('blank, invisible-only or non-string text is unanswered', () => {
    for (const text of ['', '  ', '\u200c\u200c', 'ـــ', null, 7, ['کابل'], { text: 'کابل' }]) {
      expect(gradeResponse(capital, typed(text)), JSON.stringify(text)).to.deep.equal(unanswered);
    }
  });
});

describe('grading: numerical', () => {
  const q = numerical(
    [
      [3.5, 0, 100, 'exact'],
      [3.5, 0.5, 50, 'close'],
    ],
    2,
  );

  it('the value in Persian, Arabic-Indic or ASCII digits earns full points', () => {
    for (const text of ['3.5', '۳٫۵', '٣٫٥', '۳.۵', ' 3.50 ']) {
      expect(gradeResponse(q, number(text)), text).to.deep.equal({
        score: 2,
        fraction: 1,
        feedback: fb('exact'),
      });
    }
  });

  it('a value within a wider tolerance earns that answer’s weight and feedback', () => {
    expect(gradeResponse(q, number('۴'))).to.deep.equal({ score: 1, fraction: 0.5, feedback: fb('close') });
    expect(gradeResponse(q, number('3'))).to.include({ score: 1 });
  });

  it('the tolerance edge is inclusive despite binary floating point', () => {
    const edge = numerical([[3.2, 0.1, 100]]);
    expect(gradeResponse(edge, number('3.3')).score).to.equal(1);
    expect(gradeResponse(edge, number('3.1')).score).to.equal(1);
    expect(gradeResponse(edge, number('3.31')).score).to.equal(0);
    const sum = numerical([[0.3, 0, 100]]);
    expect(gradeResponse(sum, number(String(0.1 + 0.2))).score).to.equal(1);
  });

  it('a value outside every tolerance earns 0 with no feedback', () => {
    expect(gradeResponse(q, number('5'))).to.deep.equal(unanswered);
    expect(gradeResponse(q, number('-3.5'))).to.deep.equal(unanswered);
  });

  it('negative values and thousands separators are read', () => {
    const debt = numerical([[-1500, 0, 100]]);
    expect(gradeResponse(debt, number('−۱٬۵۰۰')).score).to.equal(1);
    expect(gradeResponse(debt, number('-1,500')).score).to.equal(1);
  });

  it('text that is not plainly a number earns 0', () => {
    for (const text of ['3,5', '3/5', '35e-1', 'سه و نیم', '3.5 kg', 'NaN']) {
      expect(gradeResponse(q, number(text)), text).to.deep.equal(unanswered);
    }
  });

  it('blank or non-string text is unanswered', () => {
    for (const text of ['', '  ', null, 3.5, [3.5]]) {
      expect(gradeResponse(q, number(text)), JSON.stringify(text)).to.deep.equal(unanswered);
    }
  });

  it('a damaged answer (no value, negative or missing tolerance) never throws', () => {
    const damaged = numerical([[5, -1, 100]]);
    expect(gradeResponse(damaged, number('5')).score).to.equal(1);
    expect(gradeResponse(damaged, number('5.5')).score).to.equal(0);
    const noValue = { ...q, answers: [{ weight: 100 }, null, 'x'] } as unknown as typeof q;
    expect(gradeResponse(noValue, number('3.5'))).to.deep.equal(unanswered);
  });
});
