import QRCode from 'qrcode';
import type { TFunction } from 'i18next';
import { formatDate } from '../core/dates.js';
import { formatNumber, RTL_LOCALES, type Locale } from '../core/i18n.js';
import { drawLine } from '../core/pdf-text.js';
import { newPdfDocument } from '../core/pdf-fonts.js';
import type { CertificateSnapshot } from './certificate.model.js';
import { formatCode } from './certificate-code.js';

/**
 * Certificates as PDF pages (pdfkit), A4 landscape: the organisation, the member's name in Latin and in
 * Arabic script, the course title in each language shown, the completion date in the Gregorian and the
 * Solar Hijri calendars, hours and score, signatories, and the code with a QR code of the short
 * verification address. One font, Vazirmatn (SIL OFL, from npm), covers Latin, Dari and Pashto (ټ ډ ړ ښ ګ
 * ڼ ې ۍ); pdfkit embeds only the glyphs used.
 */

export { FONTS } from '../core/pdf-fonts.js';

export interface Signatory {
  name: string;
  title: string;
  signature?: Buffer | null;
}

export interface CertificateLook {
  /** The organisation's name per language shown; falls back to the one in the snapshot. */
  organisation: Partial<Record<Locale, string>>;
  /** The languages on the certificate, the main one first. */
  locales: Locale[];
  colour: string;
  logo: Buffer | null;
  signatories: Signatory[];
  timeZone: string;
}

export interface PrintableCertificate {
  code: string;
  snapshot: CertificateSnapshot;
  verifyUrl: string;
}

export type Translators = (locale: Locale) => TFunction;

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 42;
const INNER = PAGE.width - 2 * MARGIN - 40;

export function newCertificateDocument(info: {
  title: string;
  author: string;
  lang: Locale;
}): PDFKit.PDFDocument {
  return newPdfDocument({ ...info, layout: 'landscape' });
}

/**
 * pdfkit keeps the shaped layout of every distinct text it has drawn, per font. That cache is what makes a
 * round fast (the labels repeat on every page: 8 ms a certificate with it, 26 ms without), but each
 * certificate adds its own name, code and address, so in a round of thousands it would grow without end.
 * A printed batch empties it now and then (`fontLayoutCache: false` would keep memory flat at three
 * times the cost). pdfkit exposes no call for this: its fonts are reached through a private field.
 */
export function forgetTextLayouts(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })
    ._fontFamilies;
  for (const font of Object.values(families ?? {}))
    if (font.layoutCache) font.layoutCache = Object.create(null) as object;
}

/** The QR code as vector squares: crisp on any printer, and no image object per page. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++)
      if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
  doc.fill('#000000').restore();
}

function frame(doc: PDFKit.PDFDocument, colour: string): void {
  doc
    .save()
    .lineWidth(3)
    .strokeColor(colour)
    .rect(MARGIN - 14, MARGIN - 14, PAGE.width - 2 * MARGIN + 28, PAGE.height - 2 * MARGIN + 28)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(MARGIN - 8, MARGIN - 8, PAGE.width - 2 * MARGIN + 16, PAGE.height - 2 * MARGIN + 16)
    .stroke()
    .restore();
}

const centred = (
  doc: PDFKit.PDFDocument,
  text: string,
  y: number,
  size: number,
  font: 'regular' | 'bold',
  colour = '#222222',
  minSize = 9,
) =>
  text.trim()
    ? drawLine(doc, text, {
        font,
        size,
        x: MARGIN + 20,
        y,
        width: INNER,
        align: 'center',
        minSize,
        color: colour,
      })
    : 0;

/** One certificate on a page of its own. */
export function drawCertificate(
  doc: PDFKit.PDFDocument,
  cert: PrintableCertificate,
  look: CertificateLook,
  t: Translators,
): void {
  doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
  frame(doc, look.colour);
  const s = cert.snapshot;
  const [main, ...others] = look.locales;
  let y = MARGIN + 6;
  if (look.logo) {
    try {
      doc.image(look.logo, PAGE.width / 2 - 30, y, { fit: [60, 48], align: 'center' });
      y += 54;
    } catch {
      // A logo pdfkit cannot read (it takes PNG and JPEG) is left out rather than failing the certificate.
    }
  }
  for (const l of look.locales) {
    const name = look.organisation[l] || (l === main ? s.organisation : '');
    if (name) {
      centred(doc, name, y, 13, 'bold', look.colour);
      y += 20;
    }
  }
  y += 6;
  centred(doc, t(main!)('certificates.pdf.title'), y, 28, 'bold', look.colour);
  y += 40;
  for (const l of others) {
    centred(doc, t(l)('certificates.pdf.title'), y, 20, 'bold', look.colour);
    y += 30;
  }
  y += 4;
  centred(
    doc,
    look.locales.map((l) => t(l)('certificates.pdf.certifies')).join('  ·  '),
    y,
    11,
    'regular',
    '#555555',
  );
  y += 22;
  centred(doc, s.nameLatin, y, 26, 'bold');
  y += 36;
  if (s.nameLocal) {
    centred(doc, s.nameLocal, y, 26, 'bold');
    y += 40;
  }
  centred(
    doc,
    look.locales.map((l) => t(l)('certificates.pdf.completed')).join('  ·  '),
    y,
    11,
    'regular',
    '#555555',
  );
  y += 22;
  for (const l of look.locales) {
    const title = s.courseTitle[l];
    if (!title) continue;
    centred(doc, title, y, l === main ? 18 : 16, 'bold', look.colour);
    y += l === main ? 26 : 24;
  }
  y += 6;
  for (const l of look.locales) {
    const tl = t(l);
    const parts = [
      // Both calendars on every line, whichever languages the template has: the Gregorian date beside
      // the Solar Hijri one in Dari and Pashto, and the other way round in English.
      tl('certificates.pdf.completedOn', {
        date: `${formatDate(s.completedAt, l, look.timeZone)} (${formatDate(s.completedAt, RTL_LOCALES.has(l) ? 'en' : 'fa-AF', look.timeZone)})`,
      }),
      s.hours ? tl('certificates.pdf.hours', { count: s.hours, hours: formatNumber(s.hours, l) }) : '',
      s.score !== null ? tl('certificates.pdf.score', { score: formatNumber(s.score, l) }) : '',
      s.roundName ? tl('certificates.pdf.round', { round: s.roundName }) : '',
    ].filter(Boolean);
    centred(doc, parts.join(RTL_LOCALES.has(l) ? ' ، ' : ' · '), y, 11, 'regular', '#333333');
    y += 18;
  }

  // Signatories along the bottom, the QR code and the code at the bottom right.
  const bottom = PAGE.height - MARGIN - 10;
  const qrSize = 78;
  const sigWidth = 170;
  look.signatories.slice(0, 3).forEach((sig, i) => {
    const x = MARGIN + 20 + i * (sigWidth + 24);
    if (sig.signature) {
      try {
        doc.image(sig.signature, x + 20, bottom - 78, { fit: [sigWidth - 40, 36], align: 'center' });
      } catch {
        // As for the logo: an unreadable image is left out.
      }
    }
    doc
      .save()
      .lineWidth(0.6)
      .strokeColor('#888888')
      .moveTo(x, bottom - 38)
      .lineTo(x + sigWidth, bottom - 38)
      .stroke()
      .restore();
    drawLine(doc, sig.name, {
      font: 'bold',
      size: 11,
      x,
      y: bottom - 34,
      width: sigWidth,
      align: 'center',
      minSize: 7,
      color: '#222222',
    });
    drawLine(doc, sig.title, {
      font: 'regular',
      size: 9,
      x,
      y: bottom - 19,
      width: sigWidth,
      align: 'center',
      minSize: 6,
      color: '#555555',
    });
  });
  const qrX = PAGE.width - MARGIN - 10 - qrSize;
  drawQr(doc, cert.verifyUrl, qrX, bottom - qrSize - 14, qrSize);
  drawLine(doc, formatCode(cert.code), {
    font: 'bold',
    size: 9,
    x: qrX - 40,
    y: bottom - 12,
    width: qrSize + 40,
    align: 'right',
    color: '#222222',
    direction: 'ltr',
  });
  drawLine(doc, cert.verifyUrl.replace(/^https?:\/\//, ''), {
    font: 'regular',
    size: 7,
    x: qrX - 200,
    y: bottom,
    width: qrSize + 200,
    align: 'right',
    minSize: 5,
    color: '#555555',
    direction: 'ltr',
  });
}

/** The first page of a printed batch: what it holds. */
export function drawCover(doc: PDFKit.PDFDocument, lines: string[], colour: string): void {
  doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
  frame(doc, colour);
  let y = 180;
  lines.forEach((line, i) => {
    centred(doc, line, y, i === 0 ? 24 : 14, i === 0 ? 'bold' : 'regular', i === 0 ? colour : '#222222');
    y += i === 0 ? 40 : 24;
  });
}

/**
 * Proof-reading pages: every name exactly as it will print, in both scripts, numbered as the certificates
 * follow, so a coordinator checks spellings before printing a round. Rows are drawn as they come.
 */
export class ProofPages {
  private y = 0;
  private n = 0;
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly heading: string,
    private readonly colour: string,
  ) {}

  private newPage(): void {
    this.doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
    drawLine(this.doc, this.heading, {
      font: 'bold',
      size: 16,
      x: MARGIN,
      y: MARGIN,
      width: PAGE.width - 2 * MARGIN,
      align: 'center',
      color: this.colour,
    });
    this.y = MARGIN + 36;
  }

  row(nameLatin: string, nameLocal: string, code: string): void {
    if (this.n === 0 || this.y > PAGE.height - MARGIN - 20) this.newPage();
    this.n += 1;
    const opts = { size: 12, y: this.y, minSize: 7, color: '#222222' } as const;
    drawLine(this.doc, `${this.n}.`, {
      ...opts,
      font: 'regular',
      x: MARGIN,
      width: 36,
      align: 'right',
      direction: 'ltr',
    });
    drawLine(this.doc, nameLatin, {
      ...opts,
      font: 'bold',
      x: MARGIN + 48,
      width: 300,
      align: 'left',
      direction: 'ltr',
    });
    drawLine(this.doc, nameLocal, {
      ...opts,
      font: 'bold',
      x: MARGIN + 360,
      width: 250,
      align: 'right',
      direction: 'rtl',
    });
    drawLine(this.doc, formatCode(code), {
      ...opts,
      font: 'regular',
      x: PAGE.width - MARGIN - 130,
      width: 130,
      align: 'right',
      direction: 'ltr',
    });
    this.doc
      .save()
      .lineWidth(0.3)
      .strokeColor('#cccccc')
      .moveTo(MARGIN, this.y + 19)
      .lineTo(PAGE.width - MARGIN, this.y + 19)
      .stroke()
      .restore();
    this.y += 22;
  }
}
