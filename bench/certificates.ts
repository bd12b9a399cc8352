/**
 * Certificates: the median time to make one certificate PDF (goal < 50 ms), and a whole round printed as
 * one streamed PDF (cover, proof-reading pages, a page each) for 100 and 500 certificates (goal: 500 in
 * under 10 s), with the peak memory of each run, which must not grow with the count. Baseline, same run:
 * a one-page pdfkit document with one line of text in the same font.
 */
import { Writable } from 'node:stream';
import mongoose, { Types } from 'mongoose';
import { bindModels, modelsReady } from '../src/core/models.js';
import { startEmbeddedMongo } from '../src/embedded-mongo/index.js';
import { createI18n } from '../src/core/i18n.js';
import type { FileStore } from '../src/core/file-store.js';
import { Certificate } from '../src/certificates/certificate.model.js';
import { newCertificateCode } from '../src/certificates/certificate-code.js';
import { FONTS, newCertificateDocument } from '../src/certificates/certificate-pdf.js';
import { certificatePdf, printContext, streamCoursePdf } from '../src/certificates/certificate-print.js';
import { makeTempDir, report, type Verdict } from './support/bench-report.js';

const NAMES = [
  ['Ahmad Shabir Safi', 'احمد شبیر صافی'],
  ['Zarghona Wardak', 'زرغونه وردګ'],
  ['Nadia Ahmadi', 'نادیه احمدی'],
  ['Gul Rahman Popal', 'ګل رحمان پوپل'],
] as const;

/** A sink that takes everything at once and counts it, as a fast client would. */
const sink = () => {
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { stream, bytes: () => bytes };
};

const finished = (doc: NodeJS.ReadableStream) =>
  new Promise<void>((resolve, reject) => {
    doc.on('data', () => undefined);
    doc.on('end', resolve);
    doc.on('error', reject);
  });

const COUNTS = (process.env.COUNTS ?? '100,500').split(',').map(Number);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Peak live heap and resident memory while `run` runs, above what was in use before. With --expose-gc
 * (how `npm run bench` runs this file), the heap is sampled after a collection every 100 ms, so the
 * figure is what is kept, not garbage waiting for the collector.
 */
async function peakMemory<T>(run: () => Promise<T>): Promise<{ result: T; heapMb: number; rssMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  let heap = before.heapUsed;
  let rss = before.rss;
  const timer = setInterval(() => {
    gc?.();
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  }, 100);
  try {
    const result = await run();
    return { result, heapMb: (heap - before.heapUsed) / 2 ** 20, rssMb: (rss - before.rss) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

const temp = makeTempDir('sabaq-bench-certificates-');
const store = await startEmbeddedMongo({ dataDir: temp.dir });
const verdicts: Verdict[] = [];
try {
  await mongoose.connect(store.uri, { dbName: 'bench' });
  bindModels(mongoose.connection);
  await modelsReady();
  const i18n = createI18n();
  const noFiles = { open: () => Promise.reject(new Error('no files')) } as unknown as FileStore;
  const ctx = await printContext({ files: noFiles, i18n, baseUrl: 'https://sabaq.example.org' }, '');

  let nextIndex = 0;
  const certificate = (i: number, courseId: Types.ObjectId) => ({
    _id: new Types.ObjectId(),
    code: newCertificateCode(),
    userId: new Types.ObjectId(),
    courseId,
    number: 1,
    status: 'valid' as const,
    issuedAt: new Date(),
    issuedBy: null,
    reason: '',
    revokedAt: null,
    revokedBy: null,
    revokedReason: '',
    supersededBy: null,
    statusIndex: nextIndex++,
    snapshot: {
      nameLatin: `${NAMES[i % 4]![0]} ${i}`,
      nameLocal: NAMES[i % 4]![1],
      courseTitle: {
        en: 'Trafficking in persons: the law and the facts',
        'fa-AF': 'قاچاق انسان: قانون و واقعیت‌ها',
      },
      hours: 12,
      score: 70 + (i % 30),
      completedAt: new Date(Date.UTC(2026, 11, 3)),
      roundName: '',
      organisation: 'Afghanistan Network for Combating Trafficking in Persons',
    },
  });

  // Baseline: the least a certificate can cost, one line in the same embedded font.
  const baseTimes: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    const doc = newCertificateDocument({ title: 'x', author: 'x', lang: 'en' });
    doc.addPage().font(FONTS.regular).fontSize(20).text('Ahmad Shabir Safi', 50, 50);
    doc.end();
    await finished(doc);
    baseTimes.push(performance.now() - start);
  }
  const base = median(baseTimes.slice(5));
  report('baseline: one-line PDF, same font (median)', base, 'ms');

  const one = certificate(0, new Types.ObjectId());
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    const doc = certificatePdf(ctx, {
      ...one,
      snapshot: { ...one.snapshot, nameLatin: `${NAMES[i % 4]![0]}` },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    await finished(doc);
    times.push(performance.now() - start);
    size = Buffer.concat(chunks).length;
  }
  const single = median(times.slice(5));
  verdicts.push(report('one certificate PDF (median of 55)', single, 'ms', { below: 50 }));
  report('one certificate PDF, × the baseline', single / base, '×');
  report('one certificate PDF, size', size / 1024, 'kB');

  const peaks: number[] = [];
  for (const count of COUNTS) {
    const courseId = new Types.ObjectId();
    for (let i = 0; i < count; i += 250)
      await Certificate.insertMany(
        Array.from({ length: Math.min(250, count - i) }, (_, k) => certificate(i + k, courseId)),
      );
    const out = sink();
    const start = performance.now();
    const { heapMb, rssMb } = await peakMemory(() =>
      streamCoursePdf(ctx, { courseId: String(courseId) }, ['Advocacy training, round 2'], out.stream),
    );
    const seconds = (performance.now() - start) / 1000;
    verdicts.push(
      report(`round of ${count} as one PDF`, seconds, 's', count === 500 ? { below: 10 } : undefined),
    );
    report(`round of ${count}: per certificate`, (seconds * 1000) / count, 'ms');
    report(`round of ${count}: size`, out.bytes() / 2 ** 20, 'MB');
    report(`round of ${count}: peak heap above start`, heapMb, 'MB');
    peaks.push(heapMb);
    report(`round of ${count}: peak RSS above start`, rssMb, 'MB');
  }
  // Five times the certificates must not take more memory: at most half again, with some slack for noise.
  verdicts.push(report('peak heap, 500 against 100', peaks[1]! / peaks[0]!, '×', { below: 1.5 }));
} finally {
  await mongoose.disconnect();
  await store.stop();
  temp.remove();
}
process.exitCode = verdicts.includes('BELOW') ? 1 : 0;
