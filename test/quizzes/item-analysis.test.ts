import { expect } from 'chai';
import { Types } from 'mongoose';
import type { AttemptDoc } from '../../src/quizzes/attempt.model.js';
import { itemAnalysis } from '../../src/quizzes/item-analysis.js';

/** An attempt at two questions: q1 (choice) answered with `choice`, q2 scored `q2`. */
function attempt(choice: string, q1: number, q2: number): AttemptDoc {
  return {
    _id: new Types.ObjectId(),
    status: 'submitted',
    questions: [{ id: 'q1' }, { id: 'q2' }],
    answers: { q1: { response: { type: 'single', optionId: choice }, seq: 1, savedAt: new Date() } },
    grades: [
      { questionId: 'q1', score: q1, fraction: q1, feedback: null },
      { questionId: 'q2', score: q2, fraction: q2, feedback: null },
    ],
    percent: ((q1 + q2) / 2) * 100,
  } as unknown as AttemptDoc;
}

describe('item analysis', () => {
  it('share correct, discrimination between the best and weakest 27 %, and the options chosen', () => {
    // q1 is answered right by the strong attempts only; q2 by everyone.
    const attempts = [
      attempt('a', 1, 1),
      attempt('a', 1, 1),
      attempt('a', 1, 1),
      attempt('b', 0, 1),
      attempt('b', 0, 1),
      attempt('c', 0, 1),
      attempt('b', 0, 1),
    ];
    const [q1, q2] = itemAnalysis(attempts);
    expect(q1).to.deep.include({ questionId: 'q1', attempts: 7, shareCorrect: 0.43, discrimination: 1 });
    expect(q1!.choices).to.deep.equal([
      { optionId: 'a', count: 3 },
      { optionId: 'b', count: 3 },
      { optionId: 'c', count: 1 },
    ]);
    expect(q2).to.deep.include({ shareCorrect: 1, discrimination: 0 });
  });

  it('open attempts are left out; too few attempts give no discrimination', () => {
    const open = { ...attempt('a', 1, 1), status: 'open' } as AttemptDoc;
    const [q1] = itemAnalysis([attempt('a', 1, 0), open]);
    expect(q1).to.deep.include({ attempts: 1, discrimination: null });
  });
});
