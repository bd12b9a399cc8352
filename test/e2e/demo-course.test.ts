/// <reference lib="dom" />
/**
 * The demo as people meet it: a member of the April 2019 round finds the two demo courses, reads a lesson
 * of the advocacy course, reads it again in Dari, and takes the module's quiz; the coordinator opens the
 * knowledge-gain report and prints the round's certificates. Set SCREENSHOT_DIR to keep screenshots (and
 * the certificates' PDF) of what they see.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/config/config.js';
import { DEMO_PASSWORD } from '../../src/cli/demo/people.js';
import { seedDemo, type DemoSummary } from '../../src/cli/demo/seed.js';
import { testFileStore } from '../helpers/app-harness.js';
import { browserSuite, screenshot, signIn, type BrowserApp } from '../helpers/browser.js';

describe('the demo in a browser', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;
  let demo: DemoSummary;

  browserSuite({ started: (r) => (run = r), page: () => page, firstRun: false });
  beforeEach(async () => {
    demo = await seedDemo({ files: testFileStore(), limits: DEFAULT_UPLOAD_LIMITS });
  });

  it('a member of the round finds the courses, reads a lesson in English and in Dari, and takes the module quiz', async () => {
    const m = (page = await run.newPhone());
    await signIn(m, run.base, { email: 'member1@demo.sabaq', password: DEMO_PASSWORD });
    // Her account is set to Dari; she switches to English first, to read the lesson in both.
    await m.getByRole('button', { name: 'English' }).click();
    await m.locator('html[lang="en"]').waitFor();
    await m.goto(`${run.base}/courses`);
    await m.getByRole('link', { name: 'Trafficking in persons: the law and the facts' }).waitFor();
    await screenshot(m, 'demo-catalogue');
    await m
      .getByRole('link', { name: 'Advocacy for counter-trafficking: from strategy to action plan' })
      .click();
    await m.getByRole('heading', { level: 1, name: /Advocacy for counter-trafficking/ }).waitFor();

    await m.getByRole('link', { name: 'Two rounds of advocacy training' }).click();
    await m.getByRole('heading', { level: 1, name: 'Two rounds of advocacy training' }).waitFor();
    expect(await m.locator('article.lesson-body').textContent()).to.contain('Source: ANCTIP news page, 2019');

    await m.getByRole('button', { name: 'دری' }).click();
    await m.locator('html[lang="fa-AF"][dir="rtl"]').waitFor();
    await m.getByRole('heading', { level: 1, name: 'دو دور آموزش دادخواهی' }).waitFor();
    expect(await m.locator('article.lesson-body').getAttribute('lang')).to.equal('fa-AF');
    expect(await m.locator('article.lesson-body').textContent()).to.contain('۱۴ عضو');
    await screenshot(m, 'demo-lesson-fa-AF');

    // The quiz is in English only: back to English to take it, as the member would.
    await m.getByRole('button', { name: 'English' }).click();
    await m.locator('html[lang="en"]').waitFor();
    await m.goto(`${run.base}/courses/${demo.courses[0]!.slug}`);
    await m.getByRole('link', { name: 'Quiz: The training and the law' }).click();
    await m.getByRole('button', { name: 'Start the quiz' }).click();
    const question = (text: string) => m.locator('fieldset.question', { hasText: text });
    await question('lasted how many days').getByRole('textbox').fill('3');
    await question('for ____ advocacy').getByRole('textbox').fill('practical');
    await question('How many members took part').getByRole('textbox').fill('14');
    await question('first main topic').getByLabel('Major components of TIP law and policy').check();
    await question('implementation, reform and the rule of law').getByLabel('True').check();
    await m.getByRole('button', { name: 'Submit' }).click();

    await m.getByRole('heading', { level: 1, name: 'Result of attempt 1' }).waitFor();
    expect(await m.locator('#score-heading').textContent()).to.match(/62\.5\s*%.*passed/);
    await screenshot(m, 'demo-quiz-result');
  });

  it('the coordinator sees the round’s knowledge gain and prints its certificates', async () => {
    const c = (page = await run.browser.newPage({ viewport: { width: 1100, height: 900 } }));
    await signIn(c, run.base, { email: 'coordinator2@demo.sabaq', password: DEMO_PASSWORD });
    const advocacy = demo.courses.find((x) => x.slug === 'advocacy-strategy-to-action')!;
    await c.goto(`${run.base}/coord/reports/knowledge-gain?course=${advocacy.id}`);
    await c.getByRole('heading', { level: 1, name: /Advocacy for counter-trafficking/ }).waitFor();
    await screenshot(c, 'demo-knowledge-gain');

    const pdf = await c.request.get(
      `${run.base}/certificates/print?course=${advocacy.id}&round=${demo.roundId}`,
    );
    expect(pdf.status()).to.equal(200);
    expect(pdf.headers()['content-type']).to.equal('application/pdf');
    const body = Buffer.from(await pdf.body());
    expect(body.subarray(0, 5).toString()).to.equal('%PDF-');
    if (process.env.SCREENSHOT_DIR)
      writeFileSync(path.join(process.env.SCREENSHOT_DIR, 'demo-round-certificates.pdf'), body);
  });
});
