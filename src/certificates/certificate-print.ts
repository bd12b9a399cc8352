/// <reference types="pdfkit" />
import { once, type EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import type { i18n } from 'i18next';
import yazl from 'yazl';
import type { FileStore } from '../core/file-store.js';
import { formatNumber, type Locale } from '../core/i18n.js';
import { getLogo, getSettings, organisationTimeZone } from '../settings/settings.service.js';
import { getSignatures, getTemplate } from './certificate-template.js';
import {
  drawCertificate,
  drawCover,
  forgetTextLayouts,
  newCertificateDocument,
  ProofPages,
  type CertificateLook,
  type Translators,
} from './certificate-pdf.js';
import type { CertificateDoc } from './certificate.model.js';
import {
  countValidCertificates,
  validCertificatesOf,
  type CertificateSelection,
} from './certificate-lists.service.js';
import { issueMissing } from './certificates.service.js';

/** Everything a certificate page needs besides the certificate: read once per request, not per page. */
export interface PrintContext {
  look: CertificateLook;
  t: Translators;
  verifyUrl: (code: string) => string;
}

export interface PrintDeps {
  files: FileStore;
  i18n: i18n;
  /** BASE_URL; without it (development) the address the request came to. */
  baseUrl: string | undefined;
}

async function readAll(files: FileStore, id: string): Promise<Buffer | null> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await files.open(id)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch {
    return null;
  }
}

export async function printContext(deps: PrintDeps, origin: string): Promise<PrintContext> {
  const [template, logo, settings, timeZone, signatures] = await Promise.all([
    getTemplate(),
    getLogo(),
    getSettings(),
    organisationTimeZone(),
    getSignatures(),
  ]);
  const images = await Promise.all(
    template.signatories.map((s, i) =>
      s.name && signatures[i] ? readAll(deps.files, signatures[i].fileId) : Promise.resolve(null),
    ),
  );
  const base = (deps.baseUrl ?? origin).replace(/\/+$/, '');
  const main = template.locales[0] ?? 'en';
  return {
    look: {
      organisation: { [main]: settings?.organisationName ?? '', ...dropEmpty(template.organisation) },
      locales: template.locales,
      colour: template.colour,
      logo: logo && /^image\/(png|jpeg)$/.test(logo.mime) ? await readAll(deps.files, logo.fileId) : null,
      signatories: template.signatories
        .map((s, i) => ({ ...s, signature: images[i] ?? null }))
        .filter((s) => s.name),
      timeZone,
    },
    t: (l: Locale) => deps.i18n.getFixedT(l),
    verifyUrl: (code) => `${base}/verify/${code}`,
  };
}

const dropEmpty = (t: Partial<Record<Locale, string>>) =>
  Object.fromEntries(Object.entries(t).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));

const printable = (ctx: PrintContext, c: CertificateDoc) => ({
  code: c.code,
  snapshot: c.snapshot,
  verifyUrl: ctx.verifyUrl(c.code),
});

const docInfo = (ctx: PrintContext, title: string) => ({
  title,
  author: Object.values(ctx.look.organisation).find(Boolean) ?? 'Sabaq',
  lang: ctx.look.locales[0] ?? 'en',
});

/** One certificate as a PDF stream. */
export function certificatePdf(ctx: PrintContext, c: CertificateDoc): PDFKit.PDFDocument {
  const doc = newCertificateDocument(
    docInfo(ctx, `${ctx.t(ctx.look.locales[0]!)('certificates.pdf.title')} ${c.code}`),
  );
  drawCertificate(doc, printable(ctx, c), ctx.look, ctx.t);
  doc.end();
  return doc;
}

/** Waits while the PDF holds more than this much unsent: a slow download must not fill memory. */
const HIGH_WATER = 1 << 20;

/** How many certificates' text layouts pdfkit may keep before they are let go (see forgetTextLayouts). */
const LAYOUTS_KEPT_FOR = 50;

/** Whether the client is still there: a cancelled download stops the work, and its cursor. */
const gone = (out: Writable) => out.destroyed || out.writableFinished;

/** Waits for `event` on `source`, or for the client to go; leaves no listener behind either way. */
async function untilOrGone(source: EventEmitter, event: string, out: Writable): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([
      once(source, event, { signal: done.signal }),
      once(out, 'close', { signal: done.signal }),
    ]);
  } finally {
    done.abort();
  }
}

async function keepPace(doc: PDFKit.PDFDocument, out: Writable): Promise<void> {
  while (doc.readableLength > HIGH_WATER && !gone(out)) await untilOrGone(out, 'drain', out);
}

/**
 * A course's valid certificates as ONE PDF, streamed: a cover, proof-reading pages listing every name as
 * it will print, then a page per certificate. Two passes over a database cursor, so memory stays flat
 * whatever the number; a download cancelled half-way stops at the next certificate.
 */
export async function streamCoursePdf(
  ctx: PrintContext,
  selection: CertificateSelection,
  cover: string[],
  out: Writable,
): Promise<void> {
  await issueMissing({ courseId: selection.courseId });
  const t = ctx.t(ctx.look.locales[0]!);
  const count = await countValidCertificates(selection);
  const doc = newCertificateDocument(docInfo(ctx, cover[0] ?? t('certificates.pdf.title')));
  doc.pipe(out);
  const main = ctx.look.locales[0] ?? 'en';
  drawCover(
    doc,
    [...cover, t('certificates.pdf.coverCount', { count, n: formatNumber(count, main) })],
    ctx.look.colour,
  );
  const proof = new ProofPages(doc, t('certificates.pdf.proofTitle'), ctx.look.colour);
  let drawn = 0;
  passes: for (const pass of ['proof', 'pages'] as const) {
    for await (const c of validCertificatesOf(selection)) {
      if (gone(out)) break passes;
      if (pass === 'proof') proof.row(c.snapshot.nameLatin, c.snapshot.nameLocal, c.code);
      else drawCertificate(doc, printable(ctx, c), ctx.look, ctx.t);
      if (++drawn % LAYOUTS_KEPT_FOR === 0) forgetTextLayouts(doc);
      await keepPace(doc, out);
    }
  }
  if (gone(out)) {
    // Nobody is reading: let what pdfkit holds go, and finish without waiting for it to be sent.
    doc.unpipe(out);
    doc.resume();
    doc.end();
    return;
  }
  doc.end();
  await untilOrGone(doc, 'end', out);
}

/** The same certificates as a ZIP of single PDFs, each made only when the previous one has been sent. */
export async function streamCourseZip(
  ctx: PrintContext,
  selection: CertificateSelection,
  out: Writable,
): Promise<void> {
  await issueMissing({ courseId: selection.courseId });
  const zip = new yazl.ZipFile();
  zip.outputStream.pipe(out);
  for await (const c of validCertificatesOf(selection)) {
    if (gone(out)) break;
    const doc = certificatePdf(ctx, c);
    const name = `${
      c.snapshot.nameLatin
        .replace(/[^\p{L}\p{N} _-]+/gu, '')
        .trim()
        .slice(0, 60) || 'certificate'
    }-${c.code}.pdf`;
    zip.addReadStream(doc, name, { compress: false });
    await untilOrGone(doc, 'end', out);
  }
  if (gone(out)) {
    zip.outputStream.unpipe(out);
    zip.outputStream.resume();
    return;
  }
  zip.end();
  await untilOrGone(zip.outputStream, 'end', out);
}
