import { expect } from 'chai';
import { barChart, prePostChart } from '../../src/reports/report-chart.js';
import { csvNumber, pageFormat } from '../../src/reports/report-format.js';
import { parseRange, rangeQuery } from '../../src/reports/report-filters.js';

/** How figures are written on pages and in files, and what the charts draw, without a database. */
describe('reports: figures as written, and the charts', () => {
  describe('on a page', () => {
    it('in English: percentages and days to one decimal, gains to two, points signed, a dash for what cannot be computed', () => {
      const f = pageFormat('en');
      expect(f.count(1234)).to.equal('1,234');
      expect(f.percent(100 / 3)).to.equal('33.3%');
      expect(f.percent(100)).to.equal('100%');
      expect(f.points(12.46)).to.equal('+12.5');
      expect(f.points(-3.04)).to.equal('-3');
      // Rounded to nothing: no sign.
      expect(f.points(0.04)).to.equal('0');
      // Nor from below: a gain of -7e-15 (the same scores in another order) is 0, not "-0".
      expect([f.points(-7.1e-15), f.percent(-0.04), f.gain(-0.001), f.days(-0.01)]).to.deep.equal([
        '0',
        '0%',
        '0',
        '0',
      ]);
      expect(f.gain(2 / 3)).to.equal('0.67');
      expect(f.days(8.5)).to.equal('8.5');
      for (const write of [f.percent, f.points, f.gain, f.days]) expect(write(null)).to.equal('—');
    });

    it('in Dari: Persian digits, the Persian decimal separator and percent sign', () => {
      const f = pageFormat('fa-AF');
      expect(f.count(1234)).to.equal('۱٬۲۳۴');
      expect(f.percent(50)).to.equal('۵۰٪');
      expect(f.points(12.5)).to.equal('+۱۲٫۵');
      expect(f.days(4.5)).to.equal('۴٫۵');
      expect(f.gain(null)).to.equal('—');
    });
  });

  it('in a CSV file: Latin digits, a decimal point, fixed decimals, no grouping, and an empty cell for no value', () => {
    expect(csvNumber.count(12345)).to.equal('12345');
    expect(csvNumber.percent(100 / 3)).to.equal('33.3');
    expect(csvNumber.percent(100)).to.equal('100.0');
    expect(csvNumber.gain(-0.5)).to.equal('-0.50');
    expect(csvNumber.gain(0.6)).to.equal('0.60');
    expect(csvNumber.days(4)).to.equal('4.0');
    for (const write of [csvNumber.percent, csvNumber.gain, csvNumber.days]) expect(write(null)).to.equal('');
  });

  describe('bar charts', () => {
    const bars = (svg: string) =>
      [...svg.matchAll(/<rect height="[\d.]+" y="[\d.]+" width="([\d.]+)" x="([\d.]+)"/g)].map((m) => ({
        width: Number(m[1]),
        x: Number(m[2]),
      }));
    const values = (svg: string) =>
      [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)]
        .map((m) => m[1])
        .filter((t) => t!.endsWith('%') || t!.endsWith('٪'));

    it('a value above 100 is drawn and written as 100 %, a negative one as 0 %', () => {
      const svg = barChart(
        [
          { label: 'Over', value: 150 },
          { label: 'Full', value: 100 },
          { label: 'Under', value: -20 },
        ],
        { title: 'Completion', locale: 'en' },
      );
      const [over, full, under] = bars(svg);
      expect(over!.width).to.equal(full!.width);
      expect(full!.width).to.be.greaterThan(0);
      expect(under!.width).to.equal(0);
      expect(values(svg)).to.deep.equal(['100%', '100%', '0%']);
    });

    it('long labels are cut to 27 characters and an ellipsis; the chart grows a row per bar', () => {
      const label = 'A very long province name that goes on and on';
      const one = barChart([{ label, value: 10 }], { title: 'T', locale: 'en' });
      expect(one).to.include('>A very long province name t…</text>');
      expect(one).not.to.include(label);
      const three = barChart(
        ['a', 'b', 'c'].map((l) => ({ label: l, value: 10 })),
        { title: 'T', locale: 'en' },
      );
      expect(/height="(\d+)"/.exec(one)![1]).to.equal('68');
      expect(/height="(\d+)"/.exec(three)![1]).to.equal('124');
    });

    it('markup typed into a label or the title is written as text, never as elements', () => {
      const svg = barChart([{ label: '<img src=x onerror=alert(1)>', value: 40 }], {
        title: 'Rate of <b>Kabul</b>',
        locale: 'en',
      });
      // Inside a quoted attribute value "<" is plain text; outside one it would open an element.
      expect(svg.replace(/"[^"]*"/g, '""')).not.to.match(/<img|<b>/);
      expect(svg).to.include('&lt;img src=x onerror=alert(1)&gt;');
      expect(svg).to.include('<title>Rate of &lt;b&gt;Kabul&lt;/b&gt;</title>');
    });
  });

  describe('before-and-after charts', () => {
    const dots = (svg: string) =>
      [
        ...svg.matchAll(/<circle fill="([^"]+)" r="6" cy="([\d.]+)" cx="([\d.]+)"><title>([^<]+)<\/title>/g),
      ].map((m) => ({ fill: m[1], y: Number(m[2]), x: Number(m[3]), series: m[4] }));

    it('draws, per row, a grey pre-test dot, a blue post-test dot and the line between them, labelled for screen readers', () => {
      const svg = prePostChart(
        [
          { label: 'The law', pre: 20, post: 80 },
          { label: 'Advocacy', pre: 50, post: 50 },
        ],
        { title: 'Share correct', locale: 'en', pre: 'Pre-test', post: 'Post-test' },
      );
      expect(svg).to.match(/^<svg[^>]*aria-label="Share correct"[^>]*role="img"/);
      expect(svg).to.include('<title>Share correct</title>');
      expect(svg).not.to.match(/<style|style=/);
      const [pre, post, pre2, post2] = dots(svg);
      expect([pre!.series, post!.series, pre2!.series, post2!.series]).to.deep.equal([
        'Pre-test',
        'Post-test',
        'Pre-test',
        'Post-test',
      ]);
      expect(pre!.fill).to.equal('#8a939c');
      expect(post!.fill).to.equal('#0b5cab');
      // The first row gained: its post-test dot is to the right; the second did not move.
      expect(post!.x).to.be.greaterThan(pre!.x);
      expect(post2!.x).to.equal(pre2!.x);
      expect(pre!.y).to.be.lessThan(pre2!.y);
      expect(svg.match(/<path d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+" \/>/g) ?? []).to.have.length(2);
    });
  });

  it('a range of one day runs from its first instant in Kabul to the first instant of the next day', () => {
    const day = parseRange({ from: '2026-04-24', to: '2026-04-24' }, 'Asia/Kabul');
    expect(day.from!.toISOString()).to.equal('2026-04-23T19:30:00.000Z');
    expect(day.to!.toISOString()).to.equal('2026-04-24T19:30:00.000Z');
    expect(rangeQuery(parseRange({ to: '2026-04-30' }, 'Asia/Kabul'))).to.equal('?to=2026-04-30');
  });
});
