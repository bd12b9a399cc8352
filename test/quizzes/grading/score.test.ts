import { expect } from 'chai';
import { gradeResponse } from '../../../src/quizzes/grading/grade.js';
import { roundHalfAwayFromZero } from '../../../src/quizzes/grading/score.js';
import { option, single } from './questions.js';

describe('grading: scores are rounded to 2 decimals, half away from zero', () => {
  it('rounds in decimal, not binary: 1.005 → 1.01, 2.675 → 2.68, 0.125 → 0.13', () => {
    expect(roundHalfAwayFromZero(1.005)).to.equal(1.01);
    expect(roundHalfAwayFromZero(2.675)).to.equal(2.68);
    expect(roundHalfAwayFromZero(0.125)).to.equal(0.13);
    expect(roundHalfAwayFromZero(0.124)).to.equal(0.12);
  });

  it('rounds negative halves away from zero and never returns -0 or NaN', () => {
    expect(roundHalfAwayFromZero(-2.675)).to.equal(-2.68);
    expect(Object.is(roundHalfAwayFromZero(-0.001), 0)).to.equal(true);
    expect(roundHalfAwayFromZero(NaN)).to.equal(0);
    expect(roundHalfAwayFromZero(1e-9)).to.equal(0);
    expect(roundHalfAwayFromZero(1e21)).to.equal(1e21);
  });

  it('a share of the points is rounded, and the fraction follows the rounded score', () => {
    expect(gradeResponse(single([option('a', 5)], 0.1), { type: 'single', optionId: 'a' })).to.include({
      score: 0.01,
      fraction: 0.1,
    });
    const third = gradeResponse(single([option('a', 100 / 3)], 1), { type: 'single', optionId: 'a' });
    expect(third).to.include({ score: 0.33, fraction: 0.33 });
  });

  it('full marks on points with 3 decimals give exactly the points, never more', () => {
    expect(gradeResponse(single([option('a', 100)], 0.335), { type: 'single', optionId: 'a' })).to.include({
      score: 0.335,
      fraction: 1,
    });
  });

  it('a question worth 0 points (or damaged points) grades 0 with fraction 0, keeping the feedback', () => {
    for (const points of [0, -1, NaN]) {
      expect(
        gradeResponse(single([option('a', 100, 'ok')], points), { type: 'single', optionId: 'a' }),
      ).to.deep.equal({ score: 0, fraction: 0, feedback: { en: 'ok' } });
    }
  });
});
