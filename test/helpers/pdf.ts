/** Reading generated PDFs back in tests: their text, their metadata, their fonts, a page as pixels. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PDFParse } from 'pdf-parse';
import { PNG } from 'pngjs';
import type TestAgent from 'supertest/lib/agent.js';
import { getDownload } from './downloads.js';

/** A PDF (or any binary answer) fetched by a signed-in agent, as bytes; anything but a 200 fails the test. */
export async function getBinary(agent: TestAgent, url: string): Promise<Buffer> {
  return (await getDownload(agent, url)).body;
}

/**
 * The text of each page, made comparable: extractors wrap right-to-left runs in embedding marks, and give a
 * lam-alef ligature back as alef-lam (see the notes on right-to-left text in PDFs).
 */

export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const result = await parser.getText();
    return result.pages.map((p) => p.text.replace(/[\u202a-\u202e\u2066-\u2069]/g, ''));
  } finally {
    await parser.destroy();
  }
}

export async function pdfInfo(pdf: Buffer): Promise<Record<string, unknown>> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getInfo()).info as Record<string, unknown>;
  } finally {
    await parser.destroy();
  }
}

function withFile<T>(pdf: Buffer, run: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'sabaq-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return run(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// jsqr is CommonJS typed as an ES module: the compiler sees its default import as the module, Node as the
// function. Say what it is.
type ReadQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = jsQRModule as unknown as ReadQr;

/** Rendering a page and listing fonts take poppler-utils (pdftoppm, pdffonts); CI installs them. */
export function skipWithoutPoppler(ctx: Mocha.Context): void {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    execFileSync('pdffonts', ['-v'], { stdio: 'ignore' });
  } catch {
    console.warn('    (skipped: pdftoppm/pdffonts not found; apt-get install -y poppler-utils)');
    ctx.skip();
  }
}

/** pdffonts' table: each font's name, and whether it is embedded and a subset. */
export function pdfFonts(pdf: Buffer): { name: string; embedded: boolean; subset: boolean }[] {
  const out = withFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      const [emb, sub] = cols.slice(-5, -3);
      return { name: cols[0]!, embedded: emb === 'yes', subset: sub === 'yes' };
    });
}

/** Renders a page (pdftoppm) and reads the QR code on it (jsQR), as a phone would from the paper. */
export function readQrCode(pdf: Buffer, page: number): string | null {
  return withFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '110',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      file,
      path.join(dir, 'page'),
    ]);
    const png = PNG.sync.read(readFileSync(path.join(dir, 'page.png')));
    return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
  });
}
