import { expect } from 'chai';
import type { Express } from 'express';
import fontverter from 'fontverter';
import request from 'supertest';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun } from '../helpers/factories.js';

/** The Unicode characters a font file has glyphs for, read with HarfBuzz. */
async function coverage(woff2: Buffer): Promise<Set<number>> {
  const hb = await import('harfbuzzjs');
  const face = new hb.Face(new hb.Blob(await fontverter.convert(woff2, 'sfnt')), 0);
  return new Set(face.collectUnicodes());
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('static assets: hashed names, a year of cache, compression, a font cut to Dari and Pashto', () => {
  let app: Express;
  let stylesheet: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec((await request(app).get('/login')).text)![1]!;
  });

  it('the stylesheet has a content-hashed name, is cached for a year, and comes brotli- or gzip-compressed', async () => {
    expect(stylesheet).to.match(/^\/assets\/css\/app\.[\w-]{10}\.css$/);
    const br = await request(app).get(stylesheet).set('Accept-Encoding', 'br');
    expect(br.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).to.equal('br');
    const gzip = await request(app).get(stylesheet).set('Accept-Encoding', 'gzip');
    expect(gzip.headers['content-encoding']).to.equal('gzip');
    const plain = await request(app).get(stylesheet).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.text).to.contain('font-family');
    expect(Number(br.headers['content-length'])).to.be.below(Number(plain.headers['content-length']) / 3);
    expect((await request(app).get('/assets/css/app.0000000000.css')).status).to.equal(404);
  });

  it('the Arabic-script font is under 50 kB, covers the Pashto letters, and is declared only for those letters', async () => {
    const css = (await request(app).get(stylesheet).set('Accept-Encoding', 'identity')).text;
    const fontUrl = /url\('(\/assets\/fonts\/vazirmatn\.[\w-]{10}\.woff2)'\)/.exec(css)?.[1];
    expect(fontUrl, 'the stylesheet names the hashed font').to.be.a('string');
    expect(css).to.match(/unicode-range: U\+60C, .*U\+6F0-6F9/);
    const font = await request(app).get(fontUrl!).buffer(true).parse(binary);
    expect(font.headers['content-type']).to.equal('font/woff2');
    const body = font.body as Buffer;
    expect(body.length).to.be.below(50_000);
    const covered = await coverage(body);
    for (const letter of 'ټډړښګڼېۍځڅږپچژکگیۀ۰۱۲۳۴۵۶۷۸۹،؛؟')
      expect(
        covered.has(letter.codePointAt(0)!),
        `${letter} U+${letter.codePointAt(0)!.toString(16)}`,
      ).to.equal(true);
  });

  it('pages are compressed, and only right-to-left pages preload the font', async () => {
    const en = await request(app).get('/login').set('Accept-Encoding', 'br');
    expect(en.headers['content-encoding']).to.equal('br');
    expect(en.text).not.to.contain('rel="preload"');
    const fa = await request(app).get('/login').set('Cookie', 'lang=fa-AF');
    expect(fa.text).to.match(
      /<link rel="preload" href="\/assets\/fonts\/vazirmatn\.[\w-]{10}\.woff2" as="font"/,
    );
  });
});
