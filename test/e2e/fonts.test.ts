/** What a phone downloads: the Arabic-script web font only for Dari and Pashto pages. */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type BrowserApp, browserSuite } from '../helpers/browser.js';

describe('fonts in a real browser', function () {
  this.timeout(60_000);
  let run: BrowserApp;
  let page: Page | undefined;

  browserSuite({ started: (r) => (run = r), page: () => page });

  async function fontRequests(lang: string): Promise<string[]> {
    page = await run.newPhone();
    await page.context().addCookies([{ name: 'lang', value: lang, url: run.base }]);
    const fonts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'font') fonts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${run.base}/login`, { waitUntil: 'networkidle' });
    return fonts;
  }

  it('an English page, with دری and پښتو on its language buttons, requests no font; a Dari or Pashto page requests the cut-down one', async () => {
    expect(await fontRequests('en')).to.deep.equal([]);
    for (const lang of ['fa-AF', 'ps-AF']) {
      const fonts = await fontRequests(lang);
      expect(fonts, lang).to.have.length(1);
      expect(fonts[0]).to.match(/^\/assets\/fonts\/vazirmatn\.[\w-]{10}\.woff2$/);
    }
  });
});
