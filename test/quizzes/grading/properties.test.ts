import { expect } from 'chai';
import { gradeResponse } from '../../../src/quizzes/grading/grade.js';
import { PARTIAL_CREDIT_RULES, type Question } from '../../../src/quizzes/question.types.js';
import { matching, multiple, numerical, option, short, single, trueFalse, untrusted } from './questions.js';

/** mulberry32: a seeded generator, so a failure can be replayed from the seed in its message. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof generator>;

const IDS = ['a', 'b', 'c', 'd', 'e', 'zzz', '', '__proto__', 'constructor', 'toString'];
const TEXTS = ['کابل', 'كابل', 'می‌روم', 'ښځې', '۳٫۵', '3.5', '1,5', '-0', '1e5', ' ', '', 'Kabul', '\u200c'];
const WEIGHTS = [100, 50, 33.333, 0, -25, -100, 150, NaN, Infinity, -Infinity];
const POINTS = [0, 1, 2, 3, 0.5, 0.335, 7, 1000];

/** A value of any JSON-ish shape, including the awkward ones. */
function anything(r: Random, depth = 0): unknown {
  const simple = [
    undefined,
    null,
    true,
    false,
    0,
    -1,
    NaN,
    Infinity,
    r.next() * 10,
    r.pick(IDS),
    r.pick(TEXTS),
    'x'.repeat(r.int(3000)),
  ];
  if (depth > 2 || r.next() < 0.6) return r.pick(simple);
  if (r.next() < 0.5) return Array.from({ length: r.int(6) }, () => anything(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(6) }, () => [r.pick(IDS), anything(r, depth + 1)]));
}

function randomQuestion(r: Random): Question {
  const points = r.pick(POINTS);
  const options = Array.from({ length: 1 + r.int(5) }, (_, i) => option(IDS[i]!, r.pick(WEIGHTS), 'f'));
  switch (r.int(6)) {
    case 0:
      return single(options, points);
    case 1:
      return multiple(options, r.pick(PARTIAL_CREDIT_RULES), points);
    case 2:
      return trueFalse(r.next() < 0.5, points);
    case 3:
      return short(
        Array.from({ length: r.int(4) }, () => [r.pick(TEXTS), r.pick(WEIGHTS)] as [string, number]),
        r.next() < 0.5,
        points,
      );
    case 4:
      return numerical(
        Array.from(
          { length: r.int(4) },
          () =>
            [r.pick([3.5, -0, 1500, NaN]), r.pick([0, 0.5, -1, NaN]), r.pick(WEIGHTS)] as [
              number,
              number,
              number,
            ],
        ),
        points,
      );
    default:
      return matching(
        Array.from(
          { length: r.int(5) },
          (_, i) => [IDS[i]!, 'L', r.pick(['A', 'B', ''])] as [string, string, string],
        ),
        points,
      );
  }
}

/** A response of the question's type with random fields most of the time, anything at all otherwise. */
function randomResponse(r: Random, question: Question): unknown {
  if (r.next() < 0.15) return anything(r);
  const field = () => (r.next() < 0.3 ? anything(r) : undefined);
  switch (question.type) {
    case 'single':
      return { type: 'single', optionId: field() ?? r.pick(IDS) };
    case 'multiple':
      return { type: 'multiple', optionIds: field() ?? Array.from({ length: r.int(12) }, () => r.pick(IDS)) };
    case 'truefalse':
      return { type: 'truefalse', value: field() ?? r.next() < 0.5 };
    case 'short':
    case 'numerical':
      return { type: question.type, text: field() ?? r.pick(TEXTS) };
    case 'matching':
      return {
        type: 'matching',
        chosen:
          field() ?? Object.fromEntries(Array.from({ length: r.int(6) }, () => [r.pick(IDS), r.pick(IDS)])),
      };
  }
}

describe('grading: properties over many random questions and responses', () => {
  it('the score is always a number within 0…points, the fraction within 0…1, and nothing throws', () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const r = generator(seed);
      const question = randomQuestion(r);
      const grade = gradeResponse(question, untrusted(randomResponse(r, question)));
      const where = `seed ${seed}: ${JSON.stringify(grade)} for ${question.type}, ${question.points} points`;
      expect(Number.isFinite(grade.score), where).to.equal(true);
      expect(Number.isFinite(grade.fraction), where).to.equal(true);
      expect(grade.score, where).to.be.within(0, question.points);
      expect(grade.fraction, where).to.be.within(0, 1);
      expect(grade.score === 0 || grade.fraction > 0, where).to.equal(true);
    }
  });

  it('ticking every option of a multiple choice earns full points only when every option is right', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const r = generator(seed);
      const options = Array.from({ length: 1 + r.int(6) }, (_, i) =>
        option(IDS[i]!, r.pick([100, 50, 34, 33.3, 25, 0, -10, -50, 150])),
      );
      const question = multiple(options, r.pick(PARTIAL_CREDIT_RULES), r.pick([1, 2, 3, 10]));
      const grade = gradeResponse(question, { type: 'multiple', optionIds: options.map((o) => o.id) });
      if (options.some((o) => o.weight <= 0)) expect(grade.fraction, `seed ${seed}`).to.be.below(1);
    }
  });

  it('a response of another type, or none, is always unanswered', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const r = generator(seed);
      const question = randomQuestion(r);
      const other = randomQuestion(r);
      const response = other.type === question.type ? undefined : randomResponse(r, other);
      expect(gradeResponse(question, untrusted(response)), `seed ${seed}`).to.deep.equal({
        score: 0,
        fraction: 0,
        feedback: null,
      });
    }
  });
});
