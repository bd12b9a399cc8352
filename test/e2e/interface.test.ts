/// <reference lib="dom" />
/**
 * The interface as people meet it on a 390 px phone, checked by a machine: tables that fit, forms that
 * keep choices and show every error at once, password links that name the account and sign in, targets
 * of at least 44 px, a focus ring that stands out. Set SCREENSHOT_DIR to keep screenshots.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { User } from '../../src/users/user.model.js';
import { completeFirstRun, makeCoordinator, makeUser, type TestUser } from '../helpers/factories.js';
import {
  screenshot,
  screenshotOnFailure,
  signIn as signInAs,
  skipWithoutChromium,
  startBrowserApp,
  type BrowserApp,
} from '../helpers/browser.js';

/** WCAG relative luminance contrast of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe('the interface on a phone', function () {
  this.timeout(90_000);
  let run: BrowserApp;
  let page: Page;
  let admin: TestUser;

  before(function () {
    skipWithoutChromium(this);
  });
  beforeEach(async () => {
    run = await startBrowserApp();
    admin = await completeFirstRun();
    page = await run.newPhone();
  });
  afterEach(async function () {
    await screenshotOnFailure(this, page);
    await run.close();
  });

  const signIn = (user: { email: string; password: string }) => signInAs(page, run.base, user);

  it('the people table fits a 390 px screen: no sideways scroll, every password-link button within reach', async () => {
    for (let i = 0; i < 4; i += 1) await makeCoordinator();
    await User.create({
      email: 'a.very.long.address.for.testing@partner-organisation.example.org',
      displayName: 'زهرا حسینی',
      passwordHash: 'x',
    });
    await signIn(admin);
    await page.goto(`${run.base}/admin/users`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page wider than the screen').to.be.at.most(0);
    const buttons = page.getByRole('button', { name: 'Password link' });
    expect(await buttons.count()).to.be.greaterThan(4);
    for (const box of await Promise.all((await buttons.all()).map((b) => b.boundingBox())))
      expect(box!.x + box!.width, 'button within the screen').to.be.at.most(390);
    await page.getByRole('button', { name: 'دری' }).click();
    await page.locator('html[lang="fa-AF"]').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).to.be.at.most(
      0,
    );
    await screenshot(page, 'people-fa-AF');
  });

  it('after a mistyped email, the ticked roles and the language are still chosen', async () => {
    await signIn(admin);
    await page.goto(`${run.base}/admin/users/new`);
    await page.getByLabel('Full name').fill('Farid Noori');
    await page.getByLabel('Email address').fill('farid@');
    await page.getByLabel('Member').uncheck();
    await page.getByLabel('Trainer').check();
    await page.getByLabel('Coordinator').check();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ps-AF');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.getByText('Enter an email address like name@example.org.').isVisible()).to.equal(true);
    expect(await page.getByLabel('Trainer').isChecked()).to.equal(true);
    expect(await page.getByLabel('Coordinator').isChecked()).to.equal(true);
    expect(await page.getByLabel('Member').isChecked()).to.equal(false);
    expect(await page.getByRole('combobox', { name: 'Language' }).inputValue()).to.equal('ps-AF');
    expect(await page.getByLabel('Full name').inputValue()).to.equal('Farid Noori');
  });

  it('a password link names the account, shows every problem at once, offers "show password", and signs the person in', async () => {
    await signIn(admin);
    await page.goto(`${run.base}/admin/users/new`);
    await page.getByLabel('Full name').fill('Malalai Wardak');
    await page.getByLabel('Email address').fill('malalai@example.org');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The link is made for BASE_URL; this browser reaches the same app on a local port.
    const link = new URL(
      new URL(await page.locator('#reset-link').inputValue()).pathname,
      run.base,
    ).toString();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).to.be.at.most(
      0,
    );
    expect(await page.getByRole('button', { name: 'Copy link' }).isVisible()).to.equal(true);

    const person = await run.newPhone();
    await person.goto(link);
    expect(await person.getByText('Malalai Wardak').isVisible()).to.equal(true);
    expect(await person.getByText('malalai@example.org').isVisible()).to.equal(true);
    await person.getByLabel('New password').fill('short');
    await person.getByLabel('Repeat the password').fill('different');
    await person.getByRole('button', { name: 'Save password' }).click();
    expect(await person.getByText('Use at least 10 characters.').isVisible()).to.equal(true);
    expect(await person.getByText('The two passwords are not the same.').isVisible()).to.equal(true);

    const field = person.getByLabel('New password');
    await field.fill('river stones at dawn');
    await person.getByRole('button', { name: 'Show password' }).first().click();
    expect(await field.getAttribute('type')).to.equal('text');
    await person.getByLabel('Repeat the password').fill('river stones at dawn');
    await person.getByRole('button', { name: 'Save password' }).click();
    await person.waitForURL(/\/\?notice=passwordSet$/);
    expect(await person.getByRole('heading', { level: 1 }).textContent()).to.equal('Welcome, Malalai Wardak');
  });

  it('every link, button and checkbox row is at least 44 by 44 px, and the current page is marked', async () => {
    await signIn(admin);
    for (const path of ['/', '/admin/users', '/admin/users/new', '/me', '/admin/settings']) {
      await page.goto(`${run.base}${path}`);
      const small = await page.evaluate(() =>
        [
          ...document.querySelectorAll<HTMLElement>(
            'header a, header button, nav a, main button, footer button, fieldset label, .check label, a.button',
          ),
        ]
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({ text: el.textContent?.trim().slice(0, 30), box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.height < 44 || box.width < 44)
          .map(({ text, box }) => `${text} ${Math.round(box.width)}x${Math.round(box.height)}`),
      );
      expect(small, path).to.deep.equal([]);
    }
    await page.goto(`${run.base}/admin/users`);
    expect(
      await page.getByRole('navigation').getByRole('link', { name: 'People' }).getAttribute('aria-current'),
    ).to.equal('page');
    expect(
      await page.getByRole('navigation').getByRole('link', { name: 'Home' }).getAttribute('aria-current'),
    ).to.equal(null);
  });

  it('the focus ring stands out at 3:1 or more on the white page and on the grey header', async () => {
    await signIn(admin);
    await page.goto(`${run.base}/me`);
    for (const selector of ['header nav a', 'main button']) {
      await page.locator(selector).first().focus();
      const {
        outline,
        page: pageBg,
        header,
      } = await page.evaluate((sel) => {
        const el = document.querySelector(sel)!;
        return {
          outline: getComputedStyle(el).outlineColor,
          page: getComputedStyle(document.body).backgroundColor,
          header: getComputedStyle(document.querySelector('.site-header')!).backgroundColor,
        };
      }, selector);
      const bg = pageBg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : pageBg;
      expect(contrast(outline, bg), `${selector} on the page`).to.be.at.least(3);
      expect(contrast(outline, header), `${selector} on the header`).to.be.at.least(3);
    }
  });

  it('a member’s home page in Pashto has its shape and reads right to left', async () => {
    const gul = await makeUser({ roles: ['member'], displayName: 'ګل‌احمد یوسفزی', locale: 'ps-AF' });
    await signIn(gul);
    expect(await page.locator('html').getAttribute('dir')).to.equal('rtl');
    expect(await page.getByRole('main').getByRole('heading', { level: 2 }).allTextContents()).to.deep.equal([
      'ستاسو بل ګام',
      'زما کورسونه',
      'زما سندونه',
    ]);
    expect(await page.getByText('۱۴۰۵').or(page.getByText('۱۴۰۶')).count()).to.be.greaterThan(0);
    await screenshot(page, 'home-ps-AF');
  });
});
