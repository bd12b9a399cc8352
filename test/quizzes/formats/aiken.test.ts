import { expect } from 'chai';
import type { ParsedQuestion } from '../../../src/quizzes/question.types.js';
import { parseAiken } from '../../../src/quizzes/formats/aiken.js';
import { problemList, readFixture } from './read-fixture.js';

/** Each question as its text, its options and the right one. */
function summary(questions: ParsedQuestion[]) {
  return questions.map((q) => {
    if (q.type !== 'single') throw new Error(`Aiken gave a ${q.type} question`);
    return {
      line: q.line,
      text: q.text,
      options: q.options.map((o) => o.text),
      right: q.options.find((o) => o.weight === 100)?.text,
    };
  });
}

describe('parseAiken', () => {
  it("reads Moodle's Aiken sample, ) labels, a two-line text and a lower-case answer", () => {
    const { questions, problems } = parseAiken(readFixture('aiken', 'english.txt'));
    expect(problems).to.deep.equal([]);
    expect(summary(questions).map((q) => [q.line, q.right])).to.deep.equal([
      [1, 'Must be this one!'],
      [8, 'The purpose'],
      [14, 'The Palermo Protocol'],
    ]);
    expect(questions[2]!.text).to.equal(
      'Which UN instrument defines trafficking in persons?\nThe question text may run over two lines.',
    );
    expect(questions.every((q) => q.points === 1 && q.category === '' && q.name === '')).to.equal(true);
  });

  it('reads Dari labels in both orders (الف ب ج د and الف ب پ ت), with جواب:, پاسخ: and ANSWER:', () => {
    const { questions, problems } = parseAiken(readFixture('aiken', 'dari.txt'));
    expect(problems).to.deep.equal([]);
    expect(summary(questions)).to.deep.equal([
      {
        line: 1,
        text: 'قاچاق انسان سه عنصر دارد: عمل، وسیله و ...',
        options: ['هدف', 'زمان', 'مکان'],
        right: 'هدف',
      },
      {
        line: 7,
        text: 'کدام گزینه از وسایل قاچاق انسان است؟',
        options: ['رضایت آگاهانه', 'فریب', 'قرارداد کاری قانونی', 'تحصیل'],
        right: 'فریب',
      },
      {
        line: 14,
        text: 'نخستین گام در یک کمپاین دادخواهی چیست؟',
        options: ['جمع‌آوری پول', 'شناسایی مشکل', 'برگزاری کنفرانس مطبوعاتی', 'نوشتن نامه به رسانه‌ها'],
        right: 'شناسایی مشکل',
      },
      // "ا)" is الف written short; جواب: الف finds it.
      {
        line: 21,
        text: 'روز جهانی مبارزه با قاچاق انسان کدام روز است؟',
        options: ['۳۰ جولای', '۱۰ دسامبر', '۸ مارچ'],
        right: '۳۰ جولای',
      },
    ]);
  });

  it('reads Pashto questions with ځواب:', () => {
    const { questions, problems } = parseAiken(readFixture('aiken', 'pashto.txt'));
    expect(problems).to.deep.equal([]);
    expect(summary(questions).map((q) => q.right)).to.deep.equal([
      'موخه',
      'ملګري ملتونه',
      'د ستونزې پېژندل',
      'دوکه',
    ]);
  });

  it('matches the answer to its label whatever keyboard typed it, deep into the abjad order', () => {
    const source = [
      'کدام؟',
      'ه) پنجم',
      'و) ششم',
      'ز) هفتم',
      'ح) هشتم',
      'ط) نهم',
      'ی) دهم',
      'ک) یازدهم',
      'جواب: ي', // Arabic yeh for Persian ی
      '',
      'Which?',
      'a) first',
      'b) second',
      'answer: B.',
    ].join('\n');
    const { questions, problems } = parseAiken(source);
    expect(problems).to.deep.equal([]);
    expect(summary(questions).map((q) => q.right)).to.deep.equal(['دهم', 'second']);
  });

  it('keeps a first line that looks like an option as text, and "A.B." without a space as text', () => {
    const { questions, problems } = parseAiken(
      'A. Smith wrote which report?\nA.B. is his middle name.\nA. The first\nB. The second\nANSWER: B',
    );
    expect(problems).to.deep.equal([]);
    expect(summary(questions)[0]).to.deep.equal({
      line: 1,
      text: 'A. Smith wrote which report?\nA.B. is his middle name.',
      options: ['The first', 'The second'],
      right: 'The second',
    });
  });

  it('reads Windows line endings, a byte-order mark and direction marks', () => {
    const { questions, problems } = parseAiken('\uFEFFکدام؟\r\n\u200Fالف) یک\r\n\u200Fب) دو\r\nجواب: ب\r\n');
    expect(problems).to.deep.equal([]);
    expect(summary(questions)[0]!.right).to.equal('دو');
  });

  it('names the line and reason of every problem and still reads the good questions', () => {
    const { questions, problems } = parseAiken(readFixture('aiken', 'broken.txt'));
    expect(problemList(problems)).to.deep.equal([
      '1 noAnswerLine',
      '13 answerNotAnOption',
      '15 tooFewOptions',
      '22 duplicateLabel',
      '28 answerNotAnOption',
      '30 noAnswerLine',
      '38 noAnswerLine',
    ]);
    expect(problems.find((p) => p.line === 28)!.params).to.deep.equal({ line: 28, answer: 'د' });
    expect(problems.find((p) => p.line === 22)!.params).to.deep.equal({ line: 22, label: 'A' });
    expect(questions.map((q) => q.line)).to.deep.equal([5, 33]);
  });

  it('reads long runs of spaces and dots in linear time', function () {
    this.timeout(5000);
    const started = performance.now();
    const gap = ' '.repeat(200_000);
    const { questions } = parseAiken(`Q${gap}x\nA.${gap}one\nB. two\nANSWER:${gap}A${'.'.repeat(200_000)}`);
    expect(questions).to.have.length(1);
    expect(performance.now() - started).to.be.below(2000);
  });

  it('reports an answer line with no question and an empty option', () => {
    expect(problemList(parseAiken('ANSWER: A').problems)).to.deep.equal([
      '1 emptyText',
      '1 tooFewOptions',
      '1 answerNotAnOption',
    ]);
    expect(problemList(parseAiken('Q\nA. one\nB.  \nANSWER: A').problems)).to.deep.equal(['3 emptyAnswer']);
  });
});
