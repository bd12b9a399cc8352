import type { AttemptDoc } from '../../quizzes/attempts.service.js';

/**
 * Answers that give an intended score: each question answered wholly right or wholly wrong, in the shapes
 * a browser form sends, so that they go through the same parsing and grading as a member's.
 */

type AttemptQuestion = AttemptDoc['questions'][number];

/** A small seeded generator (mulberry32): the demo is the same every time it is loaded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function answer(q: AttemptQuestion, right: boolean): unknown {
  switch (q.type) {
    case 'single': {
      const best = Math.max(...q.options.map((o) => o.weight));
      const pick = q.options.find((o) => (right ? o.weight === best : o.weight <= 0));
      return pick?.id;
    }
    case 'multiple':
      return q.options.filter((o) => (right ? o.weight > 0 : o.weight <= 0)).map((o) => o.id);
    case 'truefalse':
      return String(right ? q.answer : !q.answer);
    case 'short': {
      const best = [...q.accepted].sort((a, b) => b.weight - a.weight)[0];
      return right ? (best?.text ?? '') : 'not sure';
    }
    case 'numerical': {
      const best = [...q.answers].sort((a, b) => b.weight - a.weight)[0]!;
      return String(right ? best.value : best.value + best.tolerance + 10);
    }
    case 'matching': {
      // Wrong: every left item given the next item's right side.
      const ids = q.pairs.map((p) => p.id);
      return Object.fromEntries(ids.map((id, i) => [id, right ? id : ids[(i + 1) % ids.length]!]));
    }
  }
}

/** Form answers by question id with `percent` of the questions (rounded to whole questions) right. */
export function answersScoring(
  questions: AttemptQuestion[],
  percent: number,
  random: () => number,
): Record<string, unknown> {
  const count = Math.round((percent / 100) * questions.length);
  const order = questions.map((q) => ({ id: q.id, key: random() })).sort((a, b) => a.key - b.key);
  const right = new Set(order.slice(0, count).map((o) => o.id));
  return Object.fromEntries(questions.map((q) => [q.id, answer(q, right.has(q.id))]));
}
