import { expect } from 'chai';
import { gainSummary, median, normalisedGain, scoreOf } from '../../src/reports/report-figures.js';
import { parseRange, rangeQuery, startOfDay } from '../../src/reports/report-filters.js';
import { barChart } from '../../src/reports/report-chart.js';

/** The arithmetic and the date range alone, without a database. */
describe('report arithmetic and ranges', () => {
  it('median: the middle value, or the mean of the two middle ones for an even count; none for none', () => {
    expect(median([20, 4, 10])).to.equal(10);
    expect(median([20, 4, 10, 7])).to.equal(8.5); // 4 7 | 10 20 → (7 + 10) ÷ 2
    expect(median([])).to.equal(null);
  });

  it('normalised gain is undefined at a perfect pre-score, and negative when members did worse', () => {
    expect(normalisedGain(100, 80)).to.equal(null);
    expect(normalisedGain(50, 25)).to.equal(-0.5); // (25 − 50) ÷ 50
    // The class average ⟨g⟩ and the mean of individual gs differ: pairs 0 → 100 and 50 → 50 give
    // ⟨g⟩ = (75 − 25) ÷ (100 − 25) = 0.667, and individual gs 1 and 0, mean 0.5.
    const s = gainSummary([
      { pre: 0, post: 100 },
      { pre: 50, post: 50 },
    ]);
    expect(s.hakeGain).to.be.closeTo(2 / 3, 1e-12);
    expect(s.meanIndividualGain).to.equal(0.5);
  });

  it('the score follows the certificate: the post-test best, else the mean of module bests', () => {
    const quizzes = { posttest: 'post', moduleQuizIds: ['m1', 'm2'] };
    expect(
      scoreOf(
        quizzes,
        new Map([
          ['post', 70],
          ['m1', 100],
        ]),
      ),
    ).to.equal(70);
    expect(
      scoreOf(
        quizzes,
        new Map([
          ['m1', 50],
          ['m2', 100],
        ]),
      ),
    ).to.equal(75);
    expect(scoreOf(quizzes, new Map())).to.equal(null);
  });

  it('days of a range are days in the organisation’s time zone, `to` included', () => {
    // Kabul is UTC+4:30: its 1 April starts at 19:30 UTC on 31 March.
    expect(startOfDay('2026-04-01', 'Asia/Kabul').toISOString()).to.equal('2026-03-31T19:30:00.000Z');
    const r = parseRange({ from: '2026-04-01', to: '2026-04-30' }, 'Asia/Kabul');
    expect(r.to!.toISOString()).to.equal('2026-04-30T19:30:00.000Z');
    expect(rangeQuery(r, { course: 'x' })).to.equal('?course=x&from=2026-04-01&to=2026-04-30');
    expect(parseRange({ from: ' ', to: '' }, 'Asia/Kabul')).to.deep.equal({
      fromDay: undefined,
      toDay: undefined,
      from: undefined,
      to: undefined,
    });
    for (const bad of [
      { from: '2026-13-01' },
      { to: '2026-02-29' },
      { from: ['2026-01-01'] },
      { to: '1/2/2026' },
    ])
      expect(() => parseRange(bad, 'Asia/Kabul'), JSON.stringify(bad)).to.throw('reports.errors.badDate');
  });

  it('a chart has a title, no <style> and no style attribute, and in Dari grows from the right', () => {
    const ltr = barChart([{ label: 'Kabul', value: 50 }], { title: 'Completion', locale: 'en' });
    const rtl = barChart([{ label: 'کابل', value: 50 }], { title: 'نرخ تکمیل', locale: 'fa-AF' });
    for (const svg of [ltr, rtl]) {
      expect(svg).to.match(/^<svg[^>]*role="img"[^>]*>|^<svg[^>]*aria-label=/);
      expect(svg).not.to.match(/<style|style=/);
    }
    expect(rtl).to.include('<title>نرخ تکمیل</title>');
    expect(rtl).to.include('۵۰٪');
    // The bar's start (x) is where 0 is: at the left edge of the plot in English, at the right in Dari.
    const barX = (svg: string) =>
      Number(/<g class="report-chart-bar"[^>]*><rect[^>]* x="([\d.]+)"/.exec(svg)![1]);
    const barW = (svg: string) =>
      Number(/<g class="report-chart-bar"[^>]*><rect[^>]* width="([\d.]+)"/.exec(svg)![1]);
    expect(barX(rtl) + barW(rtl)).to.be.greaterThan(500);
    expect(barX(ltr)).to.be.lessThan(200);
  });
});
