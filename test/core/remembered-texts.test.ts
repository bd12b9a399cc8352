/**
 * Texts are remembered once looked up (translations, rendered Markdown): the same question must give the
 * same answer as the first time, and different values must never be served each other's text.
 */
import { expect } from 'chai';
import type { Request, Response } from 'express';
import { createI18n, localeMiddleware } from '../../src/core/i18n.js';
import { renderMarkdown } from '../../src/core/markdown.js';

async function translatorFor(locale: string) {
  const req = { headers: { cookie: `lang=${locale}` } } as unknown as Request;
  const res = { locals: {}, setHeader: () => undefined } as unknown as Response;
  await localeMiddleware(createI18n())(req, res, () => undefined);
  return req.t;
}

describe('remembered texts', () => {
  it('a translation with values is the same the second time, and other values get their own text', async () => {
    const t = await translatorFor('en');
    expect(t('home.memberCount', { count: 1, n: 1 })).to.equal('1 member');
    expect(t('home.memberCount', { count: 2, n: 2 })).to.equal('2 members');
    expect(t('home.memberCount', { count: 1, n: 1 })).to.equal('1 member');
    expect(t('home.welcome', { name: 'Ahmad' })).to.equal('Welcome, Ahmad');
    expect(t('home.welcome', { name: 'Fatima' })).to.equal('Welcome, Fatima');
    const fa = await translatorFor('fa-AF');
    expect(fa('home.welcome', { name: 'Ahmad' })).to.not.equal('Welcome, Ahmad');
    expect(t('home.welcome', { name: 'Ahmad' }), 'each language its own').to.equal('Welcome, Ahmad');
  });

  it('values that are not plain text are looked up each time', async () => {
    const t = await translatorFor('en');
    let name = 'first';
    const value = { toString: () => name };
    expect(t('home.welcome', { name: value } as never)).to.equal('Welcome, first');
    name = 'second';
    expect(t('home.welcome', { name: value } as never)).to.equal('Welcome, second');
  });

  it('Markdown gives the same safe HTML the second time, short or long', () => {
    const short = '**Act**, means and <script>alert(1)</script> purpose';
    const first = renderMarkdown(short);
    expect(first).to.contain('<strong>Act</strong>').and.not.contain('<script');
    expect(renderMarkdown(short)).to.equal(first);
    const long = `# Title\n\n${'A paragraph about the law. '.repeat(300)}`;
    expect(renderMarkdown(long)).to.equal(renderMarkdown(long)).and.contain('<h2>Title</h2>');
  });
});
