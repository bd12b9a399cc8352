/**
 * A trainer writes a question in the editor as a person would, without import: picks the type, writes the
 * question in English and Dari, adds rows when the offered ones are not enough, makes a mistake, corrects
 * it and saves. Set SCREENSHOT_DIR to keep screenshots of the editor in English and in Dari.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { makeCourse } from '../helpers/courses.js';
import { makeTrainer } from '../helpers/factories.js';
import { type BrowserApp, browserSuite, screenshot, signIn } from '../helpers/browser.js';

describe('question editor in a browser', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;

  browserSuite({ started: (r) => (run = r), page: () => page });

  it('pick a type, write in two languages, add rows, fix a mistake, save; then edit in Dari', async () => {
    const trainer = await makeTrainer();
    const { course } = await makeCourse({ authors: [trainer.id] });
    const p = (page = await run.newPhone());
    await signIn(p, run.base, trainer);
    await p.goto(`${run.base}/teach/courses/${String(course._id)}/questions`);
    await p.getByLabel('Type').selectOption('single');
    await p.getByRole('button', { name: 'Create' }).click();
    await p.locator('#f-text-en').fill('Where did the 2019 report place Afghanistan?');
    await p.locator('#f-text-fa-AF').fill('گزارش ۲۰۱۹ افغانستان را در کدام رده قرار داد؟');
    const options = ['Tier 1', 'Tier 2', 'Tier 2 Watch List', 'Tier 3', 'Not ranked'];
    for (const [i, text] of options.slice(0, 4).entries()) await p.locator(`#f-rows-${i}-text-en`).fill(text);
    await p.getByRole('button', { name: 'More rows' }).click();
    await p.locator('#f-rows-4-text-en').fill(options[4]!);
    await p.locator('#f-rows-3-text-fa-AF').fill('ردهٔ ۳');
    // Saved without marking the right option: the form says why and keeps everything typed.
    await p.getByRole('button', { name: 'Save', exact: true }).click();
    await p.getByText('The right option needs a share of 100 %.').waitFor();
    expect(await p.locator('#f-rows-4-text-en').inputValue()).to.equal('Not ranked');
    await p.locator('#f-rows-3-weight').fill('100');
    await p
      .locator('#f-rows-3-feedback-en')
      .fill('Yes: Tier 3, with possible limits on non-humanitarian aid.');
    await screenshot(p, 'question-editor-en');
    await p.locator('#f-rows-3-weight').press('Enter');
    await p.getByText('Question saved.').waitFor();
    const saved = await QuestionModel.findOne().lean();
    expect(saved!.options!.map((o) => o.text!.en)).to.deep.equal(options);
    expect(saved!.options!.map((o) => o.weight)).to.deep.equal([0, 0, 0, 100, 0]);

    await p.getByRole('button', { name: 'دری' }).click();
    await p.locator('html[dir="rtl"]').waitFor();
    await p.locator('#f-rows-0-text-fa-AF').fill('ردهٔ ۱');
    await screenshot(p, 'question-editor-fa-AF');
    await p.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await p.getByText('سؤال ذخیره شد.').waitFor();
    const edited = await QuestionModel.findOne().lean();
    expect(edited!.options![0]!.text!['fa-AF']).to.equal('ردهٔ ۱');
    expect(edited!.options![0]!.id).to.equal(saved!.options![0]!.id);
  });
});
