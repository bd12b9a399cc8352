import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * The one font of every printed page: Vazirmatn (SIL OFL, from npm) covers Latin, Dari and Pashto (ټ ډ ړ
 * ښ ګ ڼ ې ۍ), so a name in either script prints with the same look; pdfkit embeds only the glyphs used.
 */
const fontDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vazirmatn/package.json')),
  'fonts',
  'ttf',
);
export const FONTS = {
  regular: path.join(fontDir, 'Vazirmatn-Regular.ttf'),
  bold: path.join(fontDir, 'Vazirmatn-Bold.ttf'),
};

/** A PDF with the fonts registered as 'regular' and 'bold', its title shown by viewers, and its language. */
export function newPdfDocument(options: {
  title: string;
  author: string;
  lang: string;
  layout?: 'portrait' | 'landscape';
}): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.layout ?? 'portrait',
    margin: 0,
    autoFirstPage: false,
    lang: options.lang,
    info: { Title: options.title, Author: options.author, Creator: 'Sabaq' },
    displayTitle: true,
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  return doc;
}
