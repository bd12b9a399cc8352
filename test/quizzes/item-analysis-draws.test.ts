import { expect } from 'chai';
import { Types } from 'mongoose';
import type { AttemptDoc } from '../../src/quizzes/attempt.model.js';
import { itemAnalysis } from '../../src/quizzes/item-analysis.js';

/** A submitted attempt: each question's fraction earned and, for some, the response given. */
function attempt(results: Record<string, { fraction: number; response?: unknown }>): AttemptDoc {
  const ids = Object.keys(results);
  const fractions = ids.map((id) => results[id]!.fraction);
  return {
    _id: new Types.ObjectId(),
    status: 'submitted',
    questions: ids.map((id) => ({ id })),
    answers: Object.fromEntries(
      ids
        .filter((id) => results[id]!.response)
        .map((id) => [id, { response: results[id]!.response, seq: 1, savedAt: new Date() }]),
    ),
    grades: ids.map((id) => ({
      questionId: id,
      score: results[id]!.fraction,
      fraction: results[id]!.fraction,
      feedback: null,
    })),
    percent: (fractions.reduce((a, b) => a + b, 0) / ids.length) * 100,
  } as unknown as AttemptDoc;
}

const multiple = (...optionIds: string[]) => ({ type: 'multiple', optionIds });

describe('item analysis with drawn questions and several-answer questions', () => {
  it('counts every option ticked in several-answer questions, and none for text answers', () => {
    const [m] = itemAnalysis([
      attempt({
        m: { fraction: 1, response: multiple('a', 'b') },
        s: { fraction: 1, response: { type: 'short', text: 'TIP' } },
      }),
      attempt({ m: { fraction: 0.5, response: multiple('a') }, s: { fraction: 0 } }),
      attempt({ m: { fraction: 0, response: multiple() }, s: { fraction: 0 } }),
      attempt({ m: { fraction: 0, response: multiple('c', 'b') }, s: { fraction: 0 } }),
    ]);
    expect(m!.choices).to.deep.equal([
      { optionId: 'a', count: 2 },
      { optionId: 'b', count: 2 },
      { optionId: 'c', count: 1 },
    ]);
    expect(m).to.deep.include({ attempts: 4, shareCorrect: 0.38, discrimination: 1 });
    const s = itemAnalysis([attempt({ s: { fraction: 1, response: { type: 'short', text: 'TIP' } } })])[0];
    expect(s!.choices).to.deep.equal([]);
  });

  it('a question drawn into only some attempts is measured on those alone, in the order questions first appear', () => {
    const attempts = [
      attempt({ fixed: { fraction: 1 }, drawnA: { fraction: 1 } }),
      attempt({ fixed: { fraction: 1 }, drawnB: { fraction: 0 } }),
      attempt({ fixed: { fraction: 0 }, drawnA: { fraction: 0 } }),
      attempt({ fixed: { fraction: 0 }, drawnB: { fraction: 1 } }),
    ];
    const stats = itemAnalysis(attempts);
    expect(stats.map((s) => [s.questionId, s.attempts, s.shareCorrect])).to.deep.equal([
      ['fixed', 4, 0.5],
      ['drawnA', 2, 0.5],
      ['drawnB', 2, 0.5],
    ]);
    // With 4 attempts the best and weakest groups hold one each: the first (100 %) and the third (0 %).
    expect(stats[0]!.discrimination).to.equal(1);
    expect(stats[1]!.discrimination).to.equal(1);
    // drawnB was in neither group: nothing to compare, so no figure rather than a misleading 0.
    expect(stats[2]!.discrimination).to.equal(null);
  });

  it('leaves out submitted attempts without grades and ranks an attempt without a percent as the weakest', () => {
    const ungraded = { ...attempt({ q: { fraction: 1 } }), grades: undefined } as AttemptDoc;
    const noPercent = { ...attempt({ q: { fraction: 0 } }), percent: null } as AttemptDoc;
    const strong = [1, 1, 1].map(() => attempt({ q: { fraction: 1 } }));
    const [q] = itemAnalysis([ungraded, ...strong, noPercent]);
    expect(q).to.deep.include({ attempts: 4, shareCorrect: 0.75, discrimination: 1 });
    expect(itemAnalysis([])).to.deep.equal([]);
  });
});
