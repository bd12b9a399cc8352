/**
 * A coordinator imports people from a spreadsheet as they would: uploads a file with a mistake, reads the
 * problems in Dari, uploads the corrected file, checks the preview and confirms. SCREENSHOT_DIR keeps
 * screenshots.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { User } from '../../src/users/user.model.js';
import { makeCoordinator } from '../helpers/factories.js';
import { type BrowserApp, browserSuite, screenshot, signIn } from '../helpers/browser.js';

const fixtures = path.resolve('test/fixtures/people-import');

describe('importing people in a browser', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;

  browserSuite({ started: (r) => (run = r), page: () => page });

  it('a file with problems is explained row by row in Dari and changes nothing; a good one is previewed, then imported', async () => {
    const coordinator = await makeCoordinator();
    const before = await User.countDocuments();
    const p = (page = await run.newPhone());
    await signIn(p, run.base, coordinator);
    await p.getByRole('button', { name: 'دری' }).click();
    await p.locator('html[lang="fa-AF"]').waitFor();
    await p.goto(`${run.base}/admin/users/import`);
    await p.locator('input[type="file"]').setInputFiles(path.join(fixtures, 'windows-1256.csv'));
    await p.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
    await p.getByText('1256').first().waitFor();
    await screenshot(p, 'people-import-1256-fa-AF');
    await p.locator('input[type="file"]').setInputFiles(path.join(fixtures, 'unknown-refs.csv'));
    await p.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
    await p.locator('table').first().waitFor();
    await screenshot(p, 'people-import-problems-fa-AF');
    expect(await User.countDocuments()).to.equal(before);

    await p.getByRole('button', { name: 'English' }).click();
    await p.goto(`${run.base}/admin/users/import`);
    await p.locator('input[type="file"]').setInputFiles(path.join(fixtures, 'semicolons.csv'));
    await p.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
    await p
      .getByRole('button', { name: /import/i })
      .last()
      .waitFor();
    await screenshot(p, 'people-import-preview-en');
    expect(await User.countDocuments()).to.equal(before);
    await p
      .getByRole('button', { name: /import/i })
      .last()
      .click();
    await p.waitForLoadState();
    await screenshot(p, 'people-import-done-en');
    expect(await User.countDocuments()).to.be.greaterThan(before);
  });
});
