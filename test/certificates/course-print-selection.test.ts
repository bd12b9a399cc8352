import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import yauzl from 'yauzl';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Certificate, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import { formatCode } from '../../src/certificates/certificate-code.js';
import type { CourseDoc } from '../../src/courses/course.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { storeCertificate, storeCompletion } from '../helpers/certificate-records.js';
import { makeCourse } from '../helpers/courses.js';
import { loginAgent } from '../helpers/factories.js';
import { quickFirstRun, quickUser } from '../helpers/quick-users.js';
import { pdfPages } from '../helpers/pdf.js';

function zipNames(zip: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: false }, (err, file) => {
      if (err) return reject(err);
      const seen: string[] = [];
      file.on('entry', (e: yauzl.Entry) => seen.push(e.fileName));
      file.on('end', () => resolve(seen));
      file.on('error', reject);
    }),
  );
}

describe("printing a course's certificates: which ones, in what order, under what names", function () {
  this.timeout(30_000);
  let app: Express;
  let staff: TestAgent;
  let course: CourseDoc;
  let courseId: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await quickFirstRun();
    course = (await makeCourse({ authors: [(await quickUser(['trainer'])).id] })).course;
    courseId = String(course._id);
    staff = await loginAgent(app, await quickUser(['coordinator']));
  });

  it('takes only valid certificates, proof-reads them in name order, issues any a completion left behind, and counts them on the cover', async () => {
    const people = await Promise.all([quickUser(), quickUser(), quickUser(), quickUser()]);
    const zahra = await storeCertificate({ userId: people[0].id, courseId, nameLatin: 'Zahra Karimi' });
    const ahmad = await storeCertificate({ userId: people[1].id, courseId, nameLatin: 'Ahmad Safi' });
    const revoked = await storeCertificate({
      userId: people[2].id,
      courseId,
      nameLatin: 'Bashir Revoked',
      status: 'revoked',
    });
    await storeCertificate({
      userId: people[1].id,
      courseId,
      number: 2,
      nameLatin: 'Ahmad Replaced',
      status: 'superseded',
      supersededBy: ahmad.code,
    });
    // Completed, certificate not yet issued: the print issues it first.
    await User.updateOne({ _id: people[3].id }, { $set: { displayName: 'Mina Popal' } });
    await storeCompletion(people[3].id, courseId);
    const other = String((await makeCourse({ authors: [(await quickUser(['trainer'])).id] })).course._id);
    await storeCertificate({ userId: people[0].id, courseId: other, nameLatin: 'Other Course' });

    const res = await staff.get(`/certificates/print?course=${courseId}`).buffer(true);
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="certificates-${course.slug}.pdf"`,
    );
    const pdf = res.body as Buffer;
    const pages = await pdfPages(pdf);
    const late = await Certificate.findOne({ userId: people[3].id }).lean<CertificateDoc>();
    expect(late).to.include({ status: 'valid' });
    expect(pages).to.have.length(2 + 3);
    expect(pages[0]).to.contain(course.title.en).and.to.contain('3 certificates');
    const proof = pages[1]!;
    const order = [ahmad, late!, zahra].map((c) => proof.indexOf(formatCode(c.code)));
    expect(order.every((i) => i >= 0)).to.equal(true);
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    const all = pages.join('\n');
    expect(all).not.to.contain('Bashir Revoked').and.not.to.contain(formatCode(revoked.code));
    expect(all).not.to.contain('Ahmad Replaced').and.not.to.contain('Other Course');
  });

  it('the ZIP names each file after its holder without characters unsafe in a file name, and records the print as a ZIP', async () => {
    const people = await Promise.all([quickUser(), quickUser(), quickUser()]);
    const plain = await storeCertificate({ userId: people[0].id, courseId, nameLatin: 'Nadia Ahmadi' });
    const sneaky = await storeCertificate({ userId: people[1].id, courseId, nameLatin: '../../etc/passwd' });
    const empty = await storeCertificate({ userId: people[2].id, courseId, nameLatin: '<>:"|?*' });
    const res = await staff
      .get(`/certificates/print?course=${courseId}&format=zip`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.headers['content-type']).to.equal('application/zip');
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="certificates-${course.slug}.zip"`,
    );
    const names = await zipNames(res.body as Buffer);
    expect(names.sort()).to.deep.equal(
      [
        `Nadia Ahmadi-${plain.code}.pdf`,
        `etcpasswd-${sneaky.code}.pdf`,
        `certificate-${empty.code}.pdf`,
      ].sort(),
    );
    const event = await AuditEvent.findOne({ action: 'certificates.print' }).lean();
    expect(event).to.deep.include({
      targetType: 'course',
      targetId: courseId,
      details: { round: null, format: 'zip' },
    });
  });

  it('a course or round given twice, malformed or unknown is a 404 and nothing is recorded as printed', async () => {
    const asked = [
      `/certificates/print?course=${courseId}&course=${courseId}`,
      '/certificates/print',
      '/certificates/print?course=0123456789abcdef01234567',
      `/certificates/print?course=${courseId}&round=zzz`,
      `/certificates/print?course=${courseId}&round=a&round=b`,
      `/certificates/print?course=${courseId}&round=0123456789abcdef01234567&format=zip`,
    ];
    for (const url of asked) expect((await staff.get(url)).status, url).to.equal(404);
    expect(await AuditEvent.countDocuments({ action: 'certificates.print' })).to.equal(0);
  });
});
