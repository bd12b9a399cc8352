import { expect } from 'chai';
import type { Express } from 'express';
import { buildTestApp, connectTestDb } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeCoordinator } from '../helpers/factories.js';
import { makeReportFixture, type ReportFixture } from '../helpers/reports.js';
import { courseReport, knowledgeGainReport } from '../../src/reports/reports.service.js';
import { parseRange } from '../../src/reports/report-filters.js';

/**
 * The course figures and the knowledge gain of the fixture (test/helpers/reports.ts), every expected value
 * worked out by hand. Nothing here depends on the store: the same test runs against MongoDB.
 *
 * Members and what they did:
 *   A enrolled 1 Mar, completed 11 Mar (10 days); pre 25 (q2 right), post 100
 *   B enrolled 2 Mar, completed 6 Mar (4 days);  pre 50 (q1 q2), post 75 first (q1 q2 q3), 100 second
 *   C enrolled 3 Mar, completed 23 Mar (20 days); pre 100, post 75 (q1 q2 q4)
 *   D enrolled 1 Apr; pre 0, no post-test                       → in progress (a quiz attempted)
 *   F enrolled 2 Apr; nothing                                   → not started
 *   H enrolled 3 Apr; one lesson                                → in progress (a lesson done)
 *   E enrolled 5 Apr, completed 12 Apr (7 days); module quiz 1: 50, module quiz 2: 100, no post-test
 *   G enrolled 5 Mar and left                                   → not counted anywhere
 */
const close = (actual: number | null, expected: number) => expect(actual).to.be.closeTo(expected, 1e-9);

describe('course report and knowledge gain', () => {
  let f: ReportFixture;
  const all = parseRange({}, 'Asia/Kabul');

  before(connectTestDb);
  beforeEach(async () => {
    f = await makeReportFixture();
  });

  it('counts enrolled, in progress, completed and the rate, the average best score and the median days', async () => {
    const r = await courseReport(String(f.course._id), all, 'en');
    // Enrolled: A B C D E F H = 7 (G left). Completed: A B C E = 4. In progress: D (quiz), H (lesson) = 2.
    expect(r.figures).to.include({ enrolled: 7, completed: 4, inProgress: 2, notStarted: 1, scored: 4 });
    // 4 ÷ 7 = 57.142857…%
    close(r.figures.completionRate, (4 / 7) * 100);
    // Scores (certificate rule): A best post 100, B best post 100 (its second attempt), C post 75,
    // E no post-test → mean of module bests (50 + 100) ÷ 2 = 75. Mean: (100 + 100 + 75 + 75) ÷ 4 = 87.5.
    close(r.figures.averageBestScore, 87.5);
    // Days to complete sorted 4, 7, 10, 20: an even count, so the median is (7 + 10) ÷ 2 = 8.5.
    close(r.figures.medianDaysToComplete, 8.5);
  });

  it('knowledge gain: means, raw gain, Hake ⟨g⟩ and the mean individual g from first attempts', async () => {
    const r = await courseReport(String(f.course._id), all, 'en');
    // Pairs (both tests): A (25 → 100), B (50 → 75, its first post-test), C (100 → 75). D has no post-test.
    expect(r.gain.pairs).to.equal(3);
    close(r.gain.meanPre, 175 / 3); // (25 + 50 + 100) ÷ 3 = 58.33…
    close(r.gain.meanPost, 250 / 3); // (100 + 75 + 75) ÷ 3 = 83.33…
    close(r.gain.meanRawGain, 25); // 83.33… − 58.33… = 25 points
    // ⟨g⟩ = 25 ÷ (100 − 58.33…) = 25 ÷ 41.66… = 0.6
    close(r.gain.hakeGain, 0.6);
    // Individual g: A (100 − 25) ÷ 75 = 1, B (75 − 50) ÷ 50 = 0.5; C left out (pre-test 100). Mean 0.75 over 2.
    close(r.gain.meanIndividualGain, 0.75);
    expect(r.gain.individualCount).to.equal(2);
  });

  it('per question and per module: share correct on the pre-test and the post-test among the pairs', async () => {
    const r = await knowledgeGainReport(String(f.course._id), all, 'en', 'General');
    const [q1, q2, q3, q4] = f.questions;
    const q = (id: string) => r.questions.find((x) => x.id === id)!;
    // Right answers (A, B, C): q1 pre 0 1 1 post 1 1 1; q2 pre 1 1 1 post 1 1 1;
    //                          q3 pre 0 0 1 post 1 1 0; q4 pre 0 0 1 post 1 0 1.
    close(q(q1).preCorrect, 200 / 3);
    close(q(q1).postCorrect, 100);
    close(q(q1).gain, 100 / 3);
    close(q(q2).preCorrect, 100);
    close(q(q2).gain, 0);
    expect(q(q2).normalised).to.equal(null); // nothing left to gain from 100 %
    close(q(q3).preCorrect, 100 / 3);
    close(q(q3).postCorrect, 200 / 3);
    close(q(q4).normalised, 0.5); // (66.67 − 33.33) ÷ (100 − 33.33)
    expect(q(q1).preCount).to.equal(3);
    expect(q(q1).moduleLabel).to.equal('The law');
    expect(q(q4).moduleLabel).to.equal('General');

    // Modules in course order, general last. Module 1 (q1, q2 listed by its quiz): pre 5 of 6 answers right
    // = 83.33, post 6 of 6 = 100, gain 16.67, g = 16.67 ÷ 16.67 = 1.
    expect(r.modules.map((m) => m.label)).to.deep.equal(['The law', 'Advocacy', 'General']);
    const [law, advocacy, general] = r.modules;
    close(law!.preCorrect, 500 / 6);
    close(law!.postCorrect, 100);
    close(law!.normalised, 1);
    // Module 2 (q3, drawn by its tag): 33.33 → 66.67, g = 33.33 ÷ 66.67 = 0.5. General (q4): the same.
    close(advocacy!.preCorrect, 100 / 3);
    close(advocacy!.postCorrect, 200 / 3);
    close(advocacy!.normalised, 0.5);
    close(general!.gain, 100 / 3);
    expect(r.summary.pairs).to.equal(3);
  });

  it('a date range picks the cohort enrolled in it and counts what happened until its end', async () => {
    // 1–8 March: A, B, C enrolled (G left). The range ends 9 March 00:00 in Kabul.
    const march = await courseReport(
      String(f.course._id),
      parseRange({ from: '2026-03-01', to: '2026-03-08' }, 'Asia/Kabul'),
      'en',
    );
    // Only B completed by then (6 Mar): 1 ÷ 3. A and C had taken their pre-test: in progress.
    expect(march.figures).to.include({ enrolled: 3, completed: 1, inProgress: 2, notStarted: 0 });
    close(march.figures.completionRate, 100 / 3);
    close(march.figures.medianDaysToComplete, 4);
    // Scores are the enrolments' best results as of today (they carry no date): A 100, B 100, C 75.
    // (100 + 100 + 75) ÷ 3 = 91.67.
    expect(march.figures.scored).to.equal(3);
    close(march.figures.averageBestScore, 275 / 3);
    // Pairs whose post-test was taken by then: B only, 50 → 75: ⟨g⟩ = 25 ÷ 50 = 0.5.
    expect(march.gain.pairs).to.equal(1);
    close(march.gain.hakeGain, 0.5);

    // April: D, F, H, E enrolled; E completed on 12 April (7 days); E's score 75; no pairs.
    const april = await courseReport(
      String(f.course._id),
      parseRange({ from: '2026-04-01', to: '2026-04-30' }, 'Asia/Kabul'),
      'en',
    );
    expect(april.figures).to.include({ enrolled: 4, completed: 1, inProgress: 2, notStarted: 1, scored: 1 });
    close(april.figures.completionRate, 25);
    close(april.figures.averageBestScore, 75);
    close(april.figures.medianDaysToComplete, 7);
    expect(april.gain.pairs).to.equal(0);
    expect(april.gain.hakeGain).to.equal(null);
  });

  describe('over HTTP', () => {
    let app: Express;
    beforeEach(async () => {
      app = await buildTestApp();
      await completeFirstRun();
    });

    it('the course page shows the figures in the reader’s numbers, a chart with its table, and keeps the range in the CSV link', async () => {
      const agent = await loginAgent(app, await makeCoordinator());
      const res = await agent.get(
        `/coord/reports/course/${String(f.course._id)}?from=2026-03-01&to=2026-03-08`,
      );
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/<svg[^>]*class="report-chart"/);
      expect(res.text).not.to.match(/<svg[\s\S]*?<style/);
      expect(res.text).not.to.match(/<svg[^>]*style=/);
      expect(res.text).to.include('33.3%');
      expect(res.text).to.include(
        `/coord/reports/course/${String(f.course._id)}.csv?from=2026-03-01&amp;to=2026-03-08`,
      );
      expect(res.text).to.include('How these figures are computed');
      expect((res.text.match(/<h1/g) ?? []).length).to.equal(1);
    });

    it('the knowledge-gain page lists modules and questions, with the course kept in its links', async () => {
      const agent = await loginAgent(app, await makeCoordinator());
      const res = await agent.get(`/coord/reports/knowledge-gain?course=${String(f.course._id)}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Statement 1 is true.');
      expect(res.text).to.include('General (no module)');
      expect(res.text).to.include(`/coord/reports/knowledge-gain.csv?course=${String(f.course._id)}`);
      const choose = await agent.get('/coord/reports/knowledge-gain');
      expect(choose.status).to.equal(200);
      expect(choose.text).to.include('Trafficking law');
    });
  });
});
