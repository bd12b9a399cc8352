import { expect } from 'chai';
import { gradeResponse } from '../../../src/quizzes/grading/grade.js';
import { fb, multiple, option, single, trueFalse, untrusted } from './questions.js';

const unanswered = { score: 0, fraction: 0, feedback: null };

describe('grading: single choice', () => {
  const question = single(
    [
      option('a', 100, 'right'),
      option('b', 0, 'wrong'),
      option('c', 50, 'half'),
      option('d', -50, 'penalty'),
    ],
    2,
  );

  it('the right option earns full points and its feedback', () => {
    expect(gradeResponse(question, { type: 'single', optionId: 'a' })).to.deep.equal({
      score: 2,
      fraction: 1,
      feedback: fb('right'),
    });
  });

  it('a wrong option earns 0 but still shows its feedback', () => {
    expect(gradeResponse(question, { type: 'single', optionId: 'b' })).to.deep.equal({
      score: 0,
      fraction: 0,
      feedback: fb('wrong'),
    });
  });

  it('a partly right option earns its share', () => {
    expect(gradeResponse(question, { type: 'single', optionId: 'c' })).to.include({
      score: 1,
      fraction: 0.5,
    });
  });

  it('a negative weight never takes the score below 0', () => {
    expect(gradeResponse(question, { type: 'single', optionId: 'd' })).to.deep.equal({
      score: 0,
      fraction: 0,
      feedback: fb('penalty'),
    });
  });

  it('a weight above 100 is clamped to full points', () => {
    const over = single([option('a', 150)], 3);
    expect(gradeResponse(over, { type: 'single', optionId: 'a' })).to.include({ score: 3, fraction: 1 });
  });

  it('an option with blank feedback gives feedback null', () => {
    const plain = single([option('a', 100)]);
    expect(gradeResponse(plain, { type: 'single', optionId: 'a' }).feedback).to.equal(null);
  });

  it('no choice, an unknown id, or a malformed response is unanswered', () => {
    for (const response of [
      undefined,
      null,
      { type: 'single', optionId: null },
      { type: 'single', optionId: 'zzz' },
      { type: 'single', optionId: ['a'] },
      { type: 'single', optionId: 1 },
      { type: 'single' },
      { type: 'multiple', optionIds: ['a'] },
      { optionId: 'a' },
      'a',
      ['a'],
      42,
    ]) {
      expect(gradeResponse(question, untrusted(response)), JSON.stringify(response)).to.deep.equal(
        unanswered,
      );
    }
  });
});

describe('grading: multiple choice, by partial-credit rule', () => {
  // Two right options (a, b), two wrong (c, d).
  const options = [option('a', 50, 'A'), option('b', 50, 'B'), option('c', 0, 'C'), option('d', 0, 'D')];
  const grade = (rule: 'allOrNothing' | 'proportional' | 'weights', ids: unknown, points = 4) =>
    gradeResponse(multiple(options, rule, points), untrusted({ type: 'multiple', optionIds: ids }));

  it('allOrNothing: exactly the right set earns full points; a missing or extra tick earns 0', () => {
    expect(grade('allOrNothing', ['b', 'a'])).to.include({ score: 4, fraction: 1 });
    expect(grade('allOrNothing', ['a'])).to.include({ score: 0 });
    expect(grade('allOrNothing', ['a', 'b', 'c'])).to.include({ score: 0 });
  });

  it('proportional: (right − wrong) / right options, never below 0', () => {
    expect(grade('proportional', ['a', 'b'])).to.include({ score: 4, fraction: 1 });
    expect(grade('proportional', ['a'])).to.include({ score: 2, fraction: 0.5 });
    expect(grade('proportional', ['a', 'b', 'c'])).to.include({ score: 2, fraction: 0.5 });
    expect(grade('proportional', ['a', 'c', 'd'])).to.include({ score: 0, fraction: 0 });
  });

  it('proportional with three right options rounds the share to 2 decimals', () => {
    const three = multiple(
      [option('a', 33), option('b', 33), option('c', 34), option('d', 0)],
      'proportional',
    );
    expect(gradeResponse(three, { type: 'multiple', optionIds: ['a'] })).to.include({ score: 0.33 });
    expect(gradeResponse(three, { type: 'multiple', optionIds: ['a', 'b'] })).to.include({ score: 0.67 });
  });

  it('weights: the ticked weights add up, and explicit penalties are taken off', () => {
    expect(grade('weights', ['a'])).to.include({ score: 2, fraction: 0.5 });
    expect(grade('weights', ['a', 'b'])).to.include({ score: 4, fraction: 1 });
    const penalised = multiple([option('a', 50), option('b', 50), option('c', -25)], 'weights', 4);
    expect(gradeResponse(penalised, { type: 'multiple', optionIds: ['a', 'b', 'c'] })).to.include({
      score: 3,
    });
    expect(gradeResponse(penalised, { type: 'multiple', optionIds: ['c'] })).to.include({ score: 0 });
  });

  it('weights: a wrong option left at 0 % still costs one right option’s share', () => {
    expect(grade('weights', ['a', 'b', 'c'])).to.include({ score: 2, fraction: 0.5 });
    expect(grade('weights', ['a', 'c'])).to.include({ score: 0 });
  });

  it('weights: right weights summing above 100 % cannot absorb a wrong tick', () => {
    const generous = multiple([option('a', 80), option('b', 80), option('c', -10)], 'weights', 10);
    expect(gradeResponse(generous, { type: 'multiple', optionIds: ['a', 'b'] })).to.include({ score: 10 });
    expect(gradeResponse(generous, { type: 'multiple', optionIds: ['a', 'b', 'c'] })).to.include({
      score: 9,
    });
  });

  for (const rule of ['allOrNothing', 'proportional', 'weights'] as const) {
    it(`${rule}: ticking every option does not earn full points when some are wrong`, () => {
      expect(grade(rule, ['a', 'b', 'c', 'd']).fraction).to.be.below(1);
    });

    it(`${rule}: ticking every option earns full points when every option is right`, () => {
      const allRight = multiple([option('a', 50), option('b', 50)], rule, 2);
      expect(gradeResponse(allRight, { type: 'multiple', optionIds: ['a', 'b'] })).to.include({ score: 2 });
    });
  }

  it('an id sent twice counts once', () => {
    expect(grade('weights', ['a', 'a'])).to.include({ score: 2 });
    expect(grade('proportional', ['a', 'a', 'a'])).to.include({ score: 2 });
    expect(grade('allOrNothing', ['a', 'a'])).to.include({ score: 0 });
  });

  it('unknown ids and non-strings are ignored', () => {
    expect(grade('allOrNothing', ['a', 'b', 'zzz', 7, null, { id: 'c' }, ['c']])).to.include({ score: 4 });
  });

  it('the feedback of each ticked option is shown, in the question’s order, as paragraphs', () => {
    expect(grade('proportional', ['c', 'a']).feedback).to.deep.equal({ en: 'A\n\nC' });
    const blank = multiple([option('a', 100), option('b', 0)], 'weights');
    expect(gradeResponse(blank, { type: 'multiple', optionIds: ['a'] }).feedback).to.equal(null);
  });

  it('an unknown rule in a damaged record is read as allOrNothing', () => {
    const damaged = { ...multiple(options, 'weights', 4), partialCredit: 'lenient' } as unknown as Parameters<
      typeof gradeResponse
    >[0];
    expect(gradeResponse(damaged, { type: 'multiple', optionIds: ['a'] })).to.include({ score: 0 });
    expect(gradeResponse(damaged, { type: 'multiple', optionIds: ['a', 'b'] })).to.include({ score: 4 });
  });

  it('no tick, only unknown ids, or a malformed response is unanswered', () => {
    for (const ids of [[], ['zzz'], 'a', { 0: 'a' }, null, undefined, 5]) {
      expect(grade('weights', ids), JSON.stringify(ids)).to.deep.equal(unanswered);
    }
  });

  it('a huge array of ids is graded quickly and correctly', () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => (i % 2 ? 'a' : `x${i}`));
    const started = Date.now();
    expect(grade('proportional', ids)).to.include({ score: 2 });
    expect(Date.now() - started).to.be.below(2000);
  });
});

describe('grading: true/false', () => {
  it('the right answer earns full points and the feedback for the answer given', () => {
    expect(gradeResponse(trueFalse(true, 2), { type: 'truefalse', value: true })).to.deep.equal({
      score: 2,
      fraction: 1,
      feedback: fb('you said true'),
    });
    expect(gradeResponse(trueFalse(false), { type: 'truefalse', value: false })).to.deep.equal({
      score: 1,
      fraction: 1,
      feedback: fb('you said false'),
    });
  });

  it('the wrong answer earns 0 and the feedback for the answer given', () => {
    expect(gradeResponse(trueFalse(true), { type: 'truefalse', value: false })).to.deep.equal({
      score: 0,
      fraction: 0,
      feedback: fb('you said false'),
    });
    expect(gradeResponse(trueFalse(false), { type: 'truefalse', value: true })).to.deep.equal({
      score: 0,
      fraction: 0,
      feedback: fb('you said true'),
    });
  });

  it('no answer, or a value that is not a boolean, is unanswered', () => {
    for (const value of [null, undefined, 'true', 1, 0, [true]]) {
      expect(
        gradeResponse(trueFalse(true), untrusted({ type: 'truefalse', value })),
        String(value),
      ).to.deep.equal(unanswered);
    }
  });
});
