/// <reference lib="dom" />
/**
 * A report as a coordinator reading Dari meets it: the provinces report with its chart drawn on the server,
 * mirrored (bars grow from the right, names on the right), in the page's Arabic-script font, without a
 * single Content-Security-Policy complaint. Set SCREENSHOT_DIR to keep screenshots.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { User } from '../../src/users/user.model.js';
import { completeFirstRun, makeUser } from '../helpers/factories.js';
import { makeReportFixture } from '../helpers/reports.js';
import {
  screenshot,
  screenshotOnFailure,
  signIn,
  skipWithoutChromium,
  startBrowserApp,
  type BrowserApp,
} from '../helpers/browser.js';

describe('reports in a browser', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;

  before(function () {
    skipWithoutChromium(this);
  });
  beforeEach(async () => {
    run = await startBrowserApp();
    await completeFirstRun();
  });
  afterEach(async function () {
    await screenshotOnFailure(this, page);
    await run.close();
  });

  it('the provinces report in Dari: a mirrored chart in Vazirmatn, its table, and no CSP violation', async () => {
    const f = await makeReportFixture();
    const dari = { Kabul: 'کابل', Herat: 'هرات', Balkh: 'بلخ' };
    for (const [en, fa] of Object.entries(dari))
      await User.updateMany({ province: en }, { $set: { province: fa } });
    const coordinator = await makeUser({
      roles: ['coordinator'],
      locale: 'fa-AF',
      displayName: 'هماهنگ‌کننده',
    });
    const p = (page = await run.browser.newPage({ viewport: { width: 1000, height: 900 } }));
    const complaints: string[] = [];
    p.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) complaints.push(m.text());
    });
    await signIn(p, run.base, coordinator);
    await p.goto(`${run.base}/coord/reports/provinces`);
    await p.locator('html[lang="fa-AF"][dir="rtl"]').waitFor();
    await p.getByRole('heading', { level: 1, name: 'ولایت‌ها' }).waitFor();

    const chart = p.getByRole('img', { name: 'نرخ تکمیل در هر ولایت' });
    await chart.waitFor();
    const geometry = await p.evaluate(() => {
      const svg = document.querySelector('svg.report-chart')!;
      const box = svg.getBoundingClientRect();
      const bars = [...svg.querySelectorAll('.report-chart-bar rect')].map((r) => r.getBoundingClientRect());
      const labels = [...svg.querySelectorAll('[aria-label="y-axis tick label"] text')].map((t) => ({
        text: t.textContent,
        box: t.getBoundingClientRect(),
      }));
      const text = svg.querySelector('text')!;
      return {
        svg: { left: box.left, right: box.right },
        bars: bars.map((b) => ({ left: b.left, right: b.right })),
        labels: labels.map((l) => ({ text: l.text, left: l.box.left })),
        font: getComputedStyle(text).fontFamily,
        fill: getComputedStyle(svg.querySelector('.report-chart-bar rect')!).fill,
      };
    });
    expect(geometry.labels.map((l) => l.text)).to.have.members(['کابل', 'هرات', 'بلخ']);
    // Mirrored: every bar starts at the same right-hand edge and grows to the left; names stand to its right.
    const rights = geometry.bars.map((b) => Math.round(b.right));
    expect(new Set(rights).size).to.equal(1);
    expect(rights[0]).to.be.greaterThan((geometry.svg.left + geometry.svg.right) / 2);
    for (const l of geometry.labels) expect(l.left).to.be.at.least(rights[0]! - 1);
    expect(geometry.font).to.match(/Vazirmatn/);
    expect(geometry.fill).to.equal('rgb(11, 92, 171)'); // the site's accent, from the stylesheet
    // The same figures in the table beside it, in Persian digits.
    await p.getByRole('table', { name: 'ولایت‌ها' }).waitFor();
    expect(await p.getByRole('row', { name: /کابل/ }).textContent()).to.include('۱۰۰٪');
    await screenshot(p, 'reports-provinces-fa-AF');

    await p.goto(`${run.base}/coord/reports/knowledge-gain?course=${String(f.course._id)}`);
    await p.getByRole('img', { name: /سهم پاسخ درست در هر بخش/ }).waitFor();
    await screenshot(p, 'reports-knowledge-gain-fa-AF');
    expect(complaints, complaints.join('\n')).to.deep.equal([]);
  });
});
