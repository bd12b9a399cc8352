/// <reference lib="dom" />
/**
 * A course from both sides, as people do it: a trainer writes and publishes a course with a lesson in
 * English and Dari and a PDF; a member on a 390 px phone, reading Dari, finds it, enrols, reads, opens the
 * PDF and completes the lesson. Set SCREENSHOT_DIR to keep screenshots of the member's pages.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { makeMember, makeTrainer } from '../helpers/factories.js';
import { type BrowserApp, browserSuite, screenshot, signIn } from '../helpers/browser.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * Bytes transferred (bodies as sent, compressed, plus headers) for the page loaded cold: a new browser
 * with the same cookies and an empty cache, as on a member's first visit.
 */
async function pageWeight(p: Page): Promise<number> {
  const browser = p.context().browser()!;
  const cold = await browser.newContext({
    storageState: await p.context().storageState(),
    javaScriptEnabled: false,
  });
  const tab = await cold.newPage();
  const sizes: Promise<number>[] = [];
  tab.on('requestfinished', (req) => {
    sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  await tab.goto(p.url(), { waitUntil: 'networkidle' });
  await cold.close();
  return (await Promise.all(sizes)).reduce((x, y) => x + y, 0);
}

describe('a course, written by a trainer and taken by a member on a phone in Dari', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;

  browserSuite({ started: (r) => (run = r), page: () => page });

  it('create, translate, attach, publish; find, enrol, read, open, complete', async () => {
    const trainer = await makeTrainer();
    const t = (page = await run.newPhone());
    await t.setViewportSize({ width: 1280, height: 900 });
    await signIn(t, run.base, trainer);
    await t.getByRole('link', { name: 'Teaching' }).first().click();
    await t.getByRole('link', { name: 'New course' }).click();
    await t.getByLabel('Web address').fill('tip-law');
    await t.getByRole('checkbox', { name: 'دری' }).check();
    await t.locator('#f-title-en').fill('Trafficking in persons: the law');
    await t.locator('#f-title-fa-AF').fill('قاچاق انسان: قانون');
    await t.locator('#f-summary-en').fill('What the law says, and what the annual report found.');
    await t.getByLabel('Estimated hours').fill('3');
    await t.getByRole('button', { name: 'Create the course' }).click();
    await t.getByText('Course created').waitFor();

    await t.getByLabel('New module').fill('What trafficking is');
    await t.getByRole('button', { name: 'Add module' }).click();
    await t.getByText('Outline changed').waitFor();
    await t.getByLabel('New lesson').fill('The legal definition');
    await t.getByRole('button', { name: 'Add lesson' }).click();
    await t.locator('#f-body-en').waitFor();
    await t.locator('#f-body-en').fill('Trafficking has three parts: **act**, **means** and **purpose**.');
    await t.locator('#f-title-fa-AF').fill('تعریف قانونی');
    await t.locator('#f-body-fa-AF').fill('قاچاق سه بخش دارد: **عمل**، **وسیله** و **هدف**.');
    await t.getByRole('button', { name: 'Save' }).click();
    await t.getByText('Lesson saved').waitFor();

    await t
      .getByLabel('Add a file')
      .setInputFiles({ name: 'قانون.pdf', mimeType: 'application/pdf', buffer: PDF });
    await t.getByRole('button', { name: 'Upload' }).click();
    await t.getByText('Files changed').waitFor();
    expect(await t.getByRole('link', { name: 'قانون.pdf' }).count()).to.equal(1);
    await screenshot(t, 'teach-lesson-en');

    await t.locator('.breadcrumb a').click();
    await screenshot(t, 'teach-course-en');
    await t.getByRole('button', { name: 'Publish' }).click();
    await t.getByText('Status changed').waitFor();

    // The member, on a phone, in Dari, with JavaScript off: nothing a member does needs it.
    const member = await makeMember();
    const m = (page = await (
      await run.browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })
    ).newPage());
    await signIn(m, run.base, member);
    await m.getByRole('button', { name: 'دری' }).click();
    await m.locator('html[lang="fa-AF"]').waitFor();
    await m.getByRole('link', { name: 'دوره‌ها' }).first().click();
    await m.getByLabel('جستجو با عنوان').fill('قاچاق');
    await m.getByRole('button', { name: 'جستجو' }).click();
    await screenshot(m, 'catalogue-fa-AF');
    await m.getByRole('link', { name: 'قاچاق انسان: قانون' }).click();
    await m.getByRole('button', { name: 'ثبت‌نام' }).click();
    await m.getByText('ثبت‌نام شدید').waitFor();
    expect(await m.locator('progress.progress').getAttribute('value')).to.equal('0');
    await screenshot(m, 'course-fa-AF');

    await m.getByRole('link', { name: /شروع/ }).click();
    await m.locator('article.lesson-body strong', { hasText: 'عمل' }).waitFor();
    expect(await m.locator('article.lesson-body').getAttribute('lang')).to.equal('fa-AF');
    expect(await m.locator('h1').textContent()).to.equal('تعریف قانونی');
    await screenshot(m, 'lesson-fa-AF');
    // What a lesson costs a member before any media: the page and everything it loads.
    const weight = await pageWeight(m);
    console.log(`      lesson page in Dari: ${weight} bytes`);
    expect(weight, 'lesson page bytes').to.be.below(100_000);
    const overflow = await m.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'lesson page wider than the phone').to.be.at.most(0);

    const href = await m.getByRole('link', { name: 'قانون.pdf' }).getAttribute('href');
    const pdf = await m.request.get(`${run.base}${href}`);
    expect(pdf.status()).to.equal(200);
    expect(pdf.headers()['content-type']).to.equal('application/pdf');
    expect(Buffer.from(await pdf.body()).equals(PDF)).to.equal(true);

    await m.getByRole('button', { name: 'این درس را تمام کردم' }).click();
    await m.getByText('دوره را تمام کردید').waitFor();
    expect(await m.locator('progress.progress').getAttribute('value')).to.equal('100');
  });
});
