import type { AttemptDoc } from './attempt.model.js';

/**
 * How each question of a quiz did across its submitted attempts, for trainers (classical test theory):
 * - share correct: the mean fraction of the points earned;
 * - discrimination: share correct among the best 27 % of attempts by total score minus among the worst
 *   27 % (near 0 or negative: the question does not tell who learned from who did not);
 * - for choice questions, how often each option was chosen (wrong ones that attract many point at a
 *   misunderstanding worth a lesson).
 */
export interface ItemStats {
  questionId: string;
  attempts: number;
  shareCorrect: number;
  discrimination: number | null;
  choices: { optionId: string; count: number }[];
}

const GROUP = 0.27;

export function itemAnalysis(attempts: AttemptDoc[]): ItemStats[] {
  const done = attempts.filter((a) => a.status === 'submitted' && a.grades);
  const byScore = [...done].sort((a, b) => (a.percent ?? 0) - (b.percent ?? 0));
  const n = Math.floor(byScore.length * GROUP);
  const low = new Set(byScore.slice(0, n));
  const high = new Set(byScore.slice(byScore.length - n));
  const ids = [...new Set(done.flatMap((a) => a.questions.map((q) => q.id)))];
  return ids.map((questionId) => {
    const fractions: { attempt: AttemptDoc; fraction: number }[] = [];
    const choices = new Map<string, number>();
    for (const a of done) {
      const grade = a.grades!.find((g) => g.questionId === questionId);
      if (!grade) continue;
      fractions.push({ attempt: a, fraction: grade.fraction });
      const response = a.answers[questionId]?.response;
      if (response?.type === 'single' && response.optionId)
        choices.set(response.optionId, (choices.get(response.optionId) ?? 0) + 1);
      if (response?.type === 'multiple')
        for (const id of response.optionIds) choices.set(id, (choices.get(id) ?? 0) + 1);
    }
    const mean = (list: number[]) => (list.length ? list.reduce((x, y) => x + y, 0) / list.length : 0);
    // A question drawn into none of a group's attempts says nothing about that group: no share, not 0.
    const share = (group: Set<AttemptDoc>) => {
      const inGroup = fractions.filter((f) => group.has(f.attempt)).map((f) => f.fraction);
      return inGroup.length ? mean(inGroup) : null;
    };
    const [highShare, lowShare] = [share(high), share(low)];
    return {
      questionId,
      attempts: fractions.length,
      shareCorrect: Math.round(mean(fractions.map((f) => f.fraction)) * 100) / 100,
      discrimination:
        highShare !== null && lowShare !== null ? Math.round((highShare - lowShare) * 100) / 100 : null,
      choices: [...choices].map(([optionId, count]) => ({ optionId, count })),
    };
  });
}
