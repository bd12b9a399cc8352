import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Certificate } from '../../src/certificates/certificate.model.js';
import { newCertificateCode } from '../../src/certificates/certificate-code.js';
import { printContext, streamCourseZip, streamCoursePdf } from '../../src/certificates/certificate-print.js';
import { createI18n } from '../../src/core/i18n.js';
import { buildTestApp, testFileStore } from '../helpers/app-harness.js';
import { completeFirstRun } from '../helpers/factories.js';

/** A client that reads `chunks` chunks and then goes away, as a cancelled download does. */
function leavingClient(chunks: number): { out: Writable; received: () => number } {
  let seen = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(_chunk, _enc, done) {
      seen += 1;
      if (seen >= chunks) {
        done();
        out.destroy();
        return;
      }
      // A slow reader: each chunk takes a moment.
      setTimeout(done, 5);
    },
  });
  return { out, received: () => seen };
}

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not done in ${ms} ms`)), ms)),
  ]);

describe('printing a course: cancelled downloads stop the work', function () {
  this.timeout(30_000);
  const courseId = new Types.ObjectId();

  beforeEach(async () => {
    await buildTestApp();
    await completeFirstRun();
    await Certificate.insertMany(
      Array.from({ length: 80 }, (_, i) => ({
        code: newCertificateCode(),
        userId: new Types.ObjectId(),
        courseId,
        number: 1,
        issuedAt: new Date(),
        statusIndex: i,
        snapshot: {
          nameLatin: `Member ${i}`,
          nameLocal: 'نادیه احمدی',
          courseTitle: { en: 'Trafficking in persons' },
          hours: 3,
          score: 90,
          completedAt: new Date(),
        },
      })),
    );
  });

  it('a PDF whose reader leaves half-way ends promptly, without drawing the rest', async () => {
    const ctx = await printContext(
      { files: testFileStore(), i18n: createI18n(), baseUrl: 'http://sabaq.test' },
      '',
    );
    const client = leavingClient(3);
    await within(5_000, streamCoursePdf(ctx, { courseId: String(courseId) }, ['Round 2'], client.out));
    expect(client.out.destroyed).to.equal(true);
  });

  it('so does a ZIP', async () => {
    const ctx = await printContext(
      { files: testFileStore(), i18n: createI18n(), baseUrl: 'http://sabaq.test' },
      '',
    );
    const client = leavingClient(3);
    await within(5_000, streamCourseZip(ctx, { courseId: String(courseId) }, client.out));
    expect(client.out.destroyed).to.equal(true);
  });

  it('a reader who stays gets the whole PDF', async () => {
    const ctx = await printContext(
      { files: testFileStore(), i18n: createI18n(), baseUrl: 'http://sabaq.test' },
      '',
    );
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        done();
      },
    });
    await within(20_000, streamCoursePdf(ctx, { courseId: String(courseId) }, ['Round 2'], out));
    const pdf = Buffer.concat(chunks).toString('latin1');
    expect(pdf.startsWith('%PDF-')).to.equal(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).to.equal(true);
    // Cover, proof-reading pages (80 rows), 80 certificates.
    expect((pdf.match(/\/Type \/Page\b/g) ?? []).length).to.be.greaterThan(81);
  });
});
