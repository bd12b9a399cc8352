/** The real app on a local port, driven by the system Chromium through playwright-core. */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Express } from 'express';
import { buildTestApp } from './app-harness.js';
import { completeFirstRun } from './factories.js';
import { listenHttp } from '../../src/core/http-listener.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Call in a `before` hook: skips the suite with a message when there is no Chromium to drive. */
export function skipWithoutChromium(ctx: Mocha.Context): void {
  if (existsSync(chromiumPath)) return;
  console.warn(
    `    skipped: no Chromium at ${chromiumPath} (install the chromium package or set CHROMIUM_PATH)`,
  );
  ctx.skip();
}

export interface BrowserApp {
  base: string;
  /** The app itself, for requests a test makes beside the browser (supertest). */
  app: Express;
  browser: Browser;
  /** A page in a browser context of its own (its own cookies), on a phone-sized screen. */
  newPhone(): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  const app = await buildTestApp();
  // Served as production serves it: requests started in turns, connections taken in by several handles.
  const listener = await listenHttp(app, { port: 0, host: '127.0.0.1' }, console);
  const base = `http://127.0.0.1:${(listener.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    base,
    app,
    browser,
    newPhone: async () => (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage(),
    async close() {
      await browser.close();
      await listener.close();
    },
  };
}

/** With SCREENSHOT_DIR set, keeps a phone and a desktop screenshot of the page under that name. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const size = page.viewportSize();
  await page.screenshot({ path: path.join(dir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(dir, `${name}-desktop.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

/** Keeps a screenshot of a failed test's page in test-results/. */
export async function screenshotOnFailure(ctx: Mocha.Context, page: Page | undefined): Promise<void> {
  if (ctx.currentTest?.state !== 'failed' || !page) return;
  mkdirSync('test-results', { recursive: true });
  const name = (ctx.currentTest.title.replace(/\W+/g, '-').slice(0, 60) || 'failure') + '.png';
  await page.screenshot({ path: path.join('test-results', name), fullPage: true }).catch(() => undefined);
}

/** Signs in through the form, as a person would, and waits for the home page. */
export async function signIn(
  page: Page,
  base: string,
  user: { email: string; password: string },
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

/**
 * The hooks every browser suite needs: skip without Chromium, a fresh app and browser per test (with the
 * organisation set up, unless `firstRun: false`), a screenshot of the page when a test fails, and closing.
 */
export function browserSuite(hooks: {
  started(run: BrowserApp): void;
  page(): Page | undefined;
  firstRun?: boolean;
}): void {
  let run: BrowserApp | undefined;
  before(function () {
    skipWithoutChromium(this);
  });
  beforeEach(async () => {
    run = await startBrowserApp();
    hooks.started(run);
    if (hooks.firstRun !== false) await completeFirstRun();
  });
  afterEach(async function () {
    await screenshotOnFailure(this, hooks.page());
    await run?.close();
  });
}
