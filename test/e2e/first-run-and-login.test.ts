/**
 * Drives the real app in headless Chromium: first-run setup, sign-in, the language switch. Elements are found
 * by label and role, as a person would. Set SCREENSHOT_DIR to keep screenshots of the pages in English and Dari.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  screenshot,
  screenshotOnFailure,
  skipWithoutChromium,
  startBrowserApp,
  type BrowserApp,
} from '../helpers/browser.js';

describe('first run and sign-in in a real browser', function () {
  this.timeout(60_000);
  let run: BrowserApp;
  let base: string;
  let page: Page;

  before(function () {
    skipWithoutChromium(this);
  });

  beforeEach(async () => {
    run = await startBrowserApp();
    base = run.base;
    page = await run.newPhone();
  });

  afterEach(async function () {
    await screenshotOnFailure(this, page);
    await run.close();
  });

  const shot = (name: string) => screenshot(page, name);

  it('sets up the organisation, signs in as the new admin and switches to Dari', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).to.equal('/setup');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Set up Sabaq');
    await shot('setup-en');

    await page.getByRole('button', { name: 'دری' }).click();
    expect(await page.locator('html').getAttribute('dir')).to.equal('rtl');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('راه‌اندازی سبق');
    await shot('setup-fa-AF');
    await page.getByRole('button', { name: 'English' }).click();

    await page.getByLabel('Organisation name').fill('Herat Advocacy Network');
    await page.getByLabel('Full name').fill('Nadia Karimi');
    await page.getByLabel('Email address').fill('nadia@example.org');
    await page.getByLabel('Password', { exact: true }).fill('amber window harvest 9');
    await page.getByLabel('Repeat the password').fill('amber window harvest 9');
    await page.getByRole('button', { name: 'Finish set-up' }).click();

    expect(new URL(page.url()).pathname).to.equal('/login');
    expect(await page.getByRole('status').textContent()).to.contain('Sabaq is ready');
    await shot('login-en');
    await page.goto(`${base}/setup`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Page not found');

    await page.goto(`${base}/login`);
    await page.getByLabel('Email address').fill('nadia@example.org');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).to.contain('not correct');

    await page.getByLabel('Password').fill('amber window harvest 9');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Welcome, Nadia Karimi');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'People' }).isVisible()).to.equal(
      true,
    );

    await page.getByRole('button', { name: 'دری' }).click();
    expect(await page.locator('html').getAttribute('lang')).to.equal('fa-AF');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('خوش آمدید، Nadia Karimi');

    await page.getByRole('button', { name: 'خروج' }).click();
    expect(new URL(page.url()).pathname).to.equal('/login');
    expect(await page.locator('html').getAttribute('dir')).to.equal('rtl');
    await shot('login-fa-AF');
  });
});
