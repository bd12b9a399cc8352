import { expect } from 'chai';
import type { ParsedQuestion } from '../../../src/quizzes/question.types.js';
import { parseGift } from '../../../src/quizzes/formats/gift.js';
import { problemList, readFixture } from './read-fixture.js';

type Of<T extends ParsedQuestion['type']> = Extract<ParsedQuestion, { type: T }>;

function only(source: string): ParsedQuestion {
  const { questions, problems } = parseGift(source);
  expect(problems).to.deep.equal([]);
  expect(questions).to.have.length(1);
  return questions[0]!;
}

function atLine<T extends ParsedQuestion['type']>(questions: ParsedQuestion[], line: number, type: T): Of<T> {
  const question = questions.find((q) => q.line === line);
  expect(question, `a question on line ${line}`).to.not.equal(undefined);
  expect(question!.type).to.equal(type);
  return question as Of<T>;
}

const weights = (options: { weight: number }[]) => options.map((o) => o.weight);

describe("parseGift: the samples of Moodle's GIFT documentation", () => {
  const { questions, problems } = parseGift(readFixture('gift', 'moodle-docs.gift'));

  it('reads all 36 samples without a problem, comment lines skipped but counted', () => {
    expect(problems).to.deep.equal([]);
    expect(questions).to.have.length(36);
    expect(questions[0]!.line).to.equal(6);
  });

  it('reads "=" as the one right choice and puts a blank where the answers stood in a sentence', () => {
    const tomb = atLine(questions, 6, 'single');
    expect(tomb.text).to.equal("Who's buried in Grant's tomb?");
    expect(tomb.options.map((o) => [o.text, o.weight])).to.deep.equal([
      ['Grant', 0],
      ['Jefferson', 0],
      ['no one', 100],
    ]);
    expect(atLine(questions, 8, 'single').text).to.equal("Grant is _____ in Grant's tomb.");
    expect(atLine(questions, 32, 'single').text).to.equal(
      'The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.',
    );
  });

  it('keeps partial credit in a one-answer question, as Moodle does when an option has "="', () => {
    expect(weights(atLine(questions, 105, 'single').options)).to.deep.equal([0, 50, 100]);
    const hometown = atLine(questions, 107, 'single');
    expect(hometown.name).to.equal("Jesus' hometown");
    expect(hometown.text).to.equal('Jesus Christ was from _____.');
    expect(weights(hometown.options)).to.deep.equal([0, 25, 50, 100]);
    expect(hometown.options[1]!.feedback).to.equal('He was born here, but not raised here.');
  });

  it('makes a several-answer question of "~%w%" weights with no "="', () => {
    const entombed = atLine(questions, 122, 'multiple');
    expect(entombed.options.map((o) => [o.text, o.weight])).to.deep.equal([
      ['No one', -100],
      ['Grant', 50],
      ["Grant's wife", 50],
      ["Grant's father", -100],
    ]);
    expect(weights(atLine(questions, 124, 'multiple').options)).to.deep.equal([-50, 50, 50, -50]);
  });

  it('reads true/false with the wrong-answer feedback first, as Moodle does', () => {
    expect(atLine(questions, 40, 'truefalse').answer).to.equal(false);
    expect(atLine(questions, 42, 'truefalse').answer).to.equal(true);
    const withFeedback = atLine(questions, 101, 'truefalse');
    // Answer FALSE: whoever says "true" is wrong and sees the feedback.
    expect(withFeedback).to.include({
      answer: false,
      feedbackTrue: "No one is buried in Grant's tomb.",
      feedbackFalse: '',
    });
    expect(atLine(questions, 44, 'truefalse').name).to.equal('TrueStatement about Grant');
  });

  it('reads short answers, with weights and feedback', () => {
    expect(atLine(questions, 52, 'short').accepted.map((a) => a.text)).to.deep.equal(['four', '4']);
    const hometown = atLine(questions, 114, 'short');
    expect(hometown.accepted.map((a) => [a.text, a.weight, a.feedback])).to.deep.equal([
      ['Nazareth', 100, "Yes! That's right!"],
      ['Nazereth', 75, 'Right, but misspelled.'],
      ['Bethlehem', 25, 'He was born here, but not raised here.'],
    ]);
  });

  it('reads matching pairs and the general feedback after ####', () => {
    expect(atLine(questions, 56, 'matching').pairs).to.deep.equal([
      { left: 'cat', right: 'cat food' },
      { left: 'dog', right: 'dog food' },
    ]);
    const capitals = atLine(questions, 58, 'matching');
    expect(capitals.pairs).to.have.length(4);
    expect(capitals.pairs[1]).to.deep.equal({ left: 'Italy', right: 'Rome' });
    expect(capitals.explanation).to.equal("It's good to know the capitals");
  });

  it('reads numerical answers with a tolerance, as a range (midpoint ± half-width) and weighted', () => {
    expect(atLine(questions, 68, 'numerical').answers).to.deep.equal([
      { value: 1822, tolerance: 5, weight: 100, feedback: '' },
    ]);
    expect(atLine(questions, 72, 'numerical').answers[0]).to.include({ value: 3.1415, tolerance: 0.0005 });
    expect(atLine(questions, 74, 'numerical').answers).to.deep.equal([
      { value: 1822, tolerance: 0, weight: 100, feedback: 'Correct! Full credit.' },
      {
        value: 1822,
        tolerance: 2,
        weight: 50,
        feedback: 'He was born in 1822. Half credit for being close.',
      },
    ]);
  });

  it('keeps the text of [markdown] and [html] questions and turns \\n into a line break', () => {
    expect(atLine(questions, 137, 'short').text).to.equal("Who's buried in **Grant's tomb**?");
    expect(atLine(questions, 141, 'truefalse').text).to.equal(
      "Is <b>Grant</b> buried in Grant's tomb?\nThink twice.",
    );
  });

  it('undoes the escapes, a doubled backslash included', () => {
    expect(atLine(questions, 145, 'single').options.map((o) => o.text)).to.deep.equal([
      '= 2 + 2',
      '= 2 + 3',
      '= 2 + 4',
    ]);
    const control = atLine(questions, 151, 'single');
    expect(control.options.map((o) => o.text)).to.deep.equal(['~', '=', '#', '{', '}', '\\']);
    expect(control.options[5]!.feedback).to.equal(
      'Correct! \\ (backslash) is not a control character. BUT,\nit is used to escape the control characters.',
    );
  });

  it('puts the questions after $CATEGORY in that category, and none before it', () => {
    expect(questions.slice(0, -1).every((q) => q.category === '')).to.equal(true);
    expect(questions.at(-1)).to.include({ category: '$course$/top/Grant/Tombs', line: 166, points: 1 });
  });
});

describe('parseGift: questions about trafficking-in-persons law in Dari and Pashto', () => {
  it('reads the Dari file: Persian and Arabic-Indic digits, "٫" decimals, weights and categories', () => {
    const { questions, problems } = parseGift(readFixture('gift', 'dari-trafficking.gift'));
    expect(problems).to.deep.equal([]);
    expect(questions).to.have.length(12);
    const elements = atLine(questions, 6, 'single');
    expect(elements).to.include({
      name: 'عناصر قاچاق',
      text: 'قاچاق انسان سه عنصر دارد: عمل، وسیله و _____.',
    });
    expect(elements.options.find((o) => o.weight === 100)!.text).to.equal('هدف');
    expect(elements.category).to.equal('قاچاق انسان/قانون');
    expect(atLine(questions, 8, 'numerical').answers[0]).to.include({ value: 2000, tolerance: 0 });
    expect(atLine(questions, 10, 'numerical').answers[0]).to.include({ value: 18 });
    expect(atLine(questions, 12, 'numerical').answers[0]).to.include({ value: 24.5, tolerance: 0.5 });
    expect(atLine(questions, 14, 'numerical').answers[0]).to.deep.equal({
      value: 0.75,
      tolerance: 0.01,
      weight: 100,
      feedback: 'درست است: ۳ تقسیم بر ۴.',
    });
    const means = atLine(questions, 29, 'multiple');
    expect(weights(means.options)).to.deep.equal([50, 50, -100]);
    expect(means.category).to.equal('قاچاق انسان/قانون');
    expect(atLine(questions, 37, 'single').category).to.equal('قاچاق انسان/دادخواهی');
  });

  it('reads Dari true/false feedback, general feedback, pairs, weighted short answers and escapes', () => {
    const { questions } = parseGift(readFixture('gift', 'dari-trafficking.gift'));
    const consent = atLine(questions, 16, 'truefalse');
    expect(consent.answer).to.equal(false);
    expect(consent.feedbackTrue).to.match(/^نه؛ وقتی فریب/);
    expect(consent.feedbackFalse).to.equal('درست است.');
    expect(atLine(questions, 18, 'truefalse').explanation).to.equal('قاچاق به عبور از مرز نیاز ندارد.');
    expect(atLine(questions, 20, 'matching').pairs[2]).to.deep.equal({ left: 'هدف', right: 'بهره‌کشی' });
    expect(atLine(questions, 27, 'short').accepted.map((a) => a.weight)).to.deep.equal([100, 100, 50]);
    expect(atLine(questions, 44, 'truefalse').text).to.equal(
      'در فرمول «قاچاق = عمل + وسیله + **هدف**»\nهر سه عنصر لازم است.',
    );
  });

  it('reads the Pashto file, with weighted numerical answers in Persian digits', () => {
    const { questions, problems } = parseGift(readFixture('gift', 'pashto-trafficking.gift'));
    expect(problems).to.deep.equal([]);
    expect(questions).to.have.length(10);
    expect(atLine(questions, 6, 'single').options[0]).to.include({ text: 'موخه', weight: 100 });
    expect(atLine(questions, 8, 'numerical').answers).to.deep.equal([
      { value: 2000, tolerance: 0, weight: 100, feedback: 'سمه ده!' },
      { value: 2000, tolerance: 3, weight: 50, feedback: 'نږدې یاست؛ سم کال ۲۰۰۰ دی.' },
    ]);
    expect(atLine(questions, 15, 'numerical').answers[0]).to.include({ value: 0.5, tolerance: 0.01 });
    expect(atLine(questions, 17, 'truefalse')).to.include({
      feedbackTrue: 'نه، قاچاق د یوه هېواد دننه هم کېدای شي.',
    });
    expect(weights(atLine(questions, 29, 'multiple').options)).to.deep.equal([50, 50, -100]);
    expect(atLine(questions, 33, 'single').category).to.equal('د انسانانو قاچاق/مدافعه');
  });
});

describe('parseGift: each question type from its syntax', () => {
  it('tells choices, short answers and pairs apart as Moodle does', () => {
    expect(only('Q {=a ~b}').type).to.equal('single');
    expect(only('Q {~%50%a ~%50%b ~c}').type).to.equal('multiple');
    expect(only('Q {=a =b}').type).to.equal('short');
    expect(only('Q {=a -> b =c -> d}').type).to.equal('matching');
    // With a "~" the arrow is just text of a choice.
    expect((only('Q {=a -> b ~c}') as Of<'single'>).options[0]!.text).to.equal('a -> b');
  });

  it('accepts TRUE/FALSE in any case, and both feedbacks', () => {
    expect(only('Q {t}')).to.include({ type: 'truefalse', answer: true });
    expect(only('Q { False }')).to.include({ type: 'truefalse', answer: false });
    expect(only('Q {T#wrong#right####why}')).to.include({
      feedbackFalse: 'wrong',
      feedbackTrue: 'right',
      explanation: 'why',
    });
    expect(only('Q {TRUE##only right}')).to.include({ feedbackFalse: '', feedbackTrue: 'only right' });
  });

  it('takes "=%w%" as a weighted option and drops format prefixes from options and feedback', () => {
    const q = only('Q {=%100%a ~%-25%[html]b #[plain]no ~%۲۵%c}') as Of<'single'>;
    expect(q.options).to.deep.equal([
      { text: 'a', weight: 100, feedback: '' },
      { text: 'b', weight: -25, feedback: 'no' },
      { text: 'c', weight: 25, feedback: '' },
    ]);
  });

  it('reads numbers in every digit set, with a minus sign and the Arabic decimal separator', () => {
    const q = only('Q {#=۳٫۵:٠٫٥ =%۵۰%-۲..۲ =%25%1e3}') as Of<'numerical'>;
    expect(q.answers.map((a) => [a.value, a.tolerance, a.weight])).to.deep.equal([
      [3.5, 0.5, 100],
      [0, 2, 50],
      [1000, 0, 25],
    ]);
  });

  it('reads a question whose lines carry direction marks, a byte-order mark and Windows line endings', () => {
    const q = only('\uFEFF::عنوان::\u200Fکدام؟ {\r\n\u200F=الف\u200F\r\n~ب\r\n}\r\n') as Of<'single'>;
    expect(q).to.include({ name: 'عنوان', text: 'کدام؟', line: 1 });
    expect(q.options.map((o) => o.text)).to.deep.equal(['الف', 'ب']);
  });

  it('reads a question written right under its $CATEGORY line, and splits nothing else off a question', () => {
    const { questions } = parseGift('$CATEGORY: law\nQ {T}\n\n$CATEGORY:\n\nR {F}');
    expect(questions.map((q) => [q.line, q.category])).to.deep.equal([
      [2, 'law'],
      [6, ''],
    ]);
  });
});

describe('parseGift: broken input', () => {
  it('names the line and reason of every problem in the broken file and still reads the good questions', () => {
    const { questions, problems } = parseGift(readFixture('gift', 'broken.gift'));
    expect(problemList(problems)).to.deep.equal([
      '4 unclosedBrace',
      '9 noRightAnswer',
      '11 tooFewOptions',
      '13 weightsNotHundred',
      '17 weightsNotHundred',
      '19 tooFewPairs',
      '21 pairWithoutArrow',
      '23 unknownEscape',
      '25 unsupportedType',
      '27 unsupportedType',
      '29 emptyText',
      '31 strayBrace',
      '33 severalAnswerBlocks',
      '35 unclosedTitle',
      '37 badNumber',
      '39 badRange',
      '41 badWeight',
      '43 weightOutOfRange',
      '43 weightsNotHundred',
      '45 answerWithoutPrefix',
      '47 unexpectedText',
      '49 otherAnswerFeedback',
      '51 pairExtras',
      '53 pairWithoutLeft',
      '59 badWeight',
      '62 noRightAnswer',
      '64 emptyAnswer',
      '67 badWeight',
      '71 unclosedBrace',
    ]);
    expect(questions.map((q) => q.name)).to.deep.equal(['Good 1', 'Good 2', 'Good 3']);
  });

  it('gives the parameters a message needs', () => {
    const { problems } = parseGift(readFixture('gift', 'broken.gift'));
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.params);
    expect(at(13)).to.deep.equal([{ line: 13, sum: 80 }]);
    expect(at(19)).to.deep.equal([{ line: 19, count: 1, min: 2 }]);
    expect(at(23)).to.deep.equal([{ line: 23, text: '\\q' }]);
    expect(at(25)).to.deep.equal([{ line: 25, context: 'essay' }]);
    expect(at(27)).to.deep.equal([{ line: 27, context: 'description' }]);
    expect(at(67)).to.deep.equal([{ line: 67, text: '%پنجاه%' }]);
  });

  it('reports the line of the opening brace when the braces start on a later line', () => {
    const { problems } = parseGift('// comment\nFirst line\nsecond line {\n=a\n~b');
    expect(problemList(problems)).to.deep.equal(['3 unclosedBrace']);
  });

  it('reads long runs of spaces in linear time (a quadratic trim took minutes on a 1 MB paste)', function () {
    this.timeout(5000);
    const started = performance.now();
    const { questions } = parseGift(`Q${' '.repeat(200_000)}x {=${' '.repeat(200_000)}a ~b}`);
    expect(questions).to.have.length(1);
    expect(performance.now() - started).to.be.below(2000);
  });

  it('never throws, whatever is cut out of or added to a good file', () => {
    const sources = ['moodle-docs.gift', 'dari-trafficking.gift', 'pashto-trafficking.gift'].map((f) =>
      readFixture('gift', f),
    );
    const specials = [
      '{',
      '}',
      '~',
      '=',
      '#',
      ':',
      '\\',
      '%',
      '->',
      '..',
      '\n\n',
      '$CATEGORY:',
      '::',
      '####',
      '۵',
    ];
    // A fixed-seed generator, so that a failure can be replayed.
    let seed = 20240601;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 400; round++) {
      const source = sources[round % sources.length]!;
      const at = random(source.length);
      const cut = random(8);
      const mutated = source.slice(0, at) + specials[random(specials.length)]! + source.slice(at + cut);
      const lines = mutated.split('\n').length;
      const result = parseGift(mutated);
      for (const p of result.problems) expect(p.line).to.be.within(1, lines);
    }
  });
});
