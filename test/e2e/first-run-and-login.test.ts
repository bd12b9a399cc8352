/**
 * Drives the real app in headless Chromium: first-run setup, sign-in, the language switch. Elements are found
 * by label and role, as a person would. Set SCREENSHOT_DIR to keep screenshots of the pages in English and Dari.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildTestApp } from '../helpers/app-harness.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shotsDir = process.env.SCREENSHOT_DIR;

describe('first run and sign-in in a real browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let server: Server;
  let base: string;
  let page: Page;

  before(function () {
    if (!existsSync(executablePath)) {
      console.warn(
        `    skipped: no Chromium at ${executablePath} (install the chromium package or set CHROMIUM_PATH)`,
      );
      this.skip();
    }
  });

  beforeEach(async () => {
    const app = await buildTestApp();
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync('test-results', { recursive: true });
      await page
        .screenshot({ path: path.join('test-results', 'e2e-failure.png'), fullPage: true })
        .catch(() => undefined);
    }
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function shot(name: string): Promise<void> {
    if (!shotsDir) return;
    mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: path.join(shotsDir, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(shotsDir, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
  }

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
