/**
 * Page weight as a member on a prepaid bundle pays it: bytes over the wire (headers and bodies, after
 * compression) for the first view of a page and for a repeat view, in English and in Dari, measured in
 * headless Chromium. Usage: tsx bench/page-weight.ts [project folder to measure, default this one].
 */
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { startAppProcess } from './support/app-process.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  console.log(`page weight: skipped (no Chromium at ${chromiumPath})`);
  process.exit(0);
}

const app = await startAppProcess({ projectDir: process.argv[2] });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

/** Bytes received for one navigation, counted by the browser's network layer (cache hits count 0). */
async function transferred(page: Page, url: string): Promise<{ bytes: number; requests: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await cdp.detach();
  return { bytes, requests };
}

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // First run: organisation and admin, then signed in, so both an anonymous and a signed-in page exist.
  await page.goto(`${app.url}/setup`);
  await page.getByLabel('Organisation name').fill('Bench Network');
  await page.getByLabel('Full name').fill('Bench Admin');
  await page.getByLabel('Email address').fill('bench@example.org');
  await page.getByLabel('Password', { exact: true }).fill('amber window harvest 9');
  await page.getByLabel('Repeat the password').fill('amber window harvest 9');
  await page.getByRole('button', { name: 'Finish set-up' }).click();

  await page.getByLabel('Email address').fill('bench@example.org');
  await page.getByLabel('Password').fill('amber window harvest 9');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const rows: Record<string, { first: number; repeat: number; requests: number }> = {};
  for (const [lang, button] of [
    ['en', 'English'],
    ['fa-AF', 'دری'],
  ] as const) {
    // The switch also saves the language on the account, which signed-in pages follow.
    await page.getByRole('button', { name: button }).click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
    const signedIn = await context.cookies();
    for (const [name, path, cookies] of [
      ['sign-in page', '/login', []],
      ['home (signed in)', '/', signedIn],
    ] as const) {
      // A fresh browser cache for the first view, as on a phone that never opened Sabaq.
      const fresh = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await fresh.addCookies([...cookies, { name: 'lang', value: lang, url: app.url }]);
      const p = await fresh.newPage();
      const first = await transferred(p, `${app.url}${path}`);
      const repeat = await transferred(p, `${app.url}${path}`);
      rows[`${lang} ${name}`] = { first: first.bytes, repeat: repeat.bytes, requests: first.requests };
      await fresh.close();
    }
  }
  console.log('bytes over the wire, first view (empty cache) and repeat view (same browser)');
  console.table(rows);
} finally {
  await browser.close();
  await app.stop();
}
