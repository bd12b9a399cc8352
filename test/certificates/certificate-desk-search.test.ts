import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { Certificate } from '../../src/certificates/certificate.model.js';
import { formatCode, newCertificateCode } from '../../src/certificates/certificate-code.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { storeCertificate } from '../helpers/certificate-records.js';
import { makeCourse } from '../helpers/courses.js';
import { loginAgent } from '../helpers/factories.js';
import { quickFirstRun, quickUser } from '../helpers/quick-users.js';

/** The codes the desk's table lists, in the order shown. */
function listedCodes(html: string): string[] {
  const table = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<code dir="ltr">([^<]+)<\/code>/g)].map((m) => m[1]!);
}

/** The number in the list's heading: "Certificates (N)". */
function foundCount(html: string): number {
  const m = /id="list-heading"[^>]*>[^<]*<span class="muted">\((\d+)\)<\/span>/.exec(html);
  if (!m) throw new Error('no list heading on the page');
  return Number(m[1]);
}

describe('certificate desk: finding certificates', () => {
  let app: Express;
  let staff: TestAgent;
  let courseA: string;
  let courseB: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await quickFirstRun();
    const trainer = await quickUser(['trainer']);
    courseA = String((await makeCourse({ authors: [trainer.id] })).course._id);
    courseB = String((await makeCourse({ authors: [trainer.id] })).course._id);
    staff = await loginAgent(app, await quickUser(['coordinator']));
  });

  it('finds a holder by part of the Latin or the local name in any letter case, and by a code typed in lower case with dashes', async () => {
    const member = await quickUser();
    const other = await quickUser();
    const nadia = await storeCertificate({
      userId: member.id,
      courseId: courseA,
      nameLatin: 'Nadia Ahmadi',
      nameLocal: 'نادیه احمدی',
    });
    const yusuf = await storeCertificate({
      userId: other.id,
      courseId: courseA,
      nameLatin: 'Mohammad Yusuf',
      nameLocal: 'محمد یوسف',
    });

    const byLatin = await staff.get('/certificates?q=AHMAD');
    expect(byLatin.status).to.equal(200);
    expect(listedCodes(byLatin.text)).to.deep.equal([formatCode(nadia.code)]);

    const byLocal = await staff.get(`/certificates?q=${encodeURIComponent('یوسف')}`);
    expect(listedCodes(byLocal.text)).to.deep.equal([formatCode(yusuf.code)]);

    const typed = formatCode(yusuf.code).toLowerCase();
    const byCode = await staff.get(`/certificates?q=${encodeURIComponent(` ${typed} `)}`);
    expect(listedCodes(byCode.text)).to.deep.equal([formatCode(yusuf.code)]);
    // The search box keeps what was typed.
    expect(byCode.text).to.contain(`value=" ${typed} "`);
  });

  it('treats regular-expression characters in the search as plain text: "a.i" and "(" match no one and fail nothing', async () => {
    const member = await quickUser();
    await storeCertificate({ userId: member.id, courseId: courseA, nameLatin: 'Nadia Ahmadi' });
    for (const q of ['a.i', '(', '.*', '[', '\\']) {
      const res = await staff.get(`/certificates?q=${encodeURIComponent(q)}`);
      expect(res.status, q).to.equal(200);
      expect(listedCodes(res.text), q).to.deep.equal([]);
      expect(res.text).to.contain('No certificate matches.');
    }
    const dotted = await storeCertificate({ userId: member.id, courseId: courseB, nameLatin: 'A.I. Karimi' });
    const literal = await staff.get(`/certificates?q=${encodeURIComponent('a.i')}`);
    expect(listedCodes(literal.text)).to.deep.equal([formatCode(dotted.code)]);
  });

  it('filters by status, keeps the status chosen selected, and shows staff the reason of a revocation', async () => {
    const member = await quickUser();
    const valid = await storeCertificate({ userId: member.id, courseId: courseA });
    const revoked = await storeCertificate({
      userId: member.id,
      courseId: courseB,
      status: 'revoked',
      revokedReason: 'Attendance sheet forged',
    });
    const replacement = await storeCertificate({ userId: member.id, courseId: courseB, number: 3 });
    const superseded = await storeCertificate({
      userId: member.id,
      courseId: courseB,
      number: 2,
      status: 'superseded',
      supersededBy: replacement.code,
    });

    const onlyRevoked = await staff.get('/certificates?status=revoked');
    expect(listedCodes(onlyRevoked.text)).to.deep.equal([formatCode(revoked.code)]);
    expect(onlyRevoked.text).to.contain('Attendance sheet forged');
    expect(onlyRevoked.text).to.contain('<option value="revoked" selected>');

    const onlyReplaced = await staff.get('/certificates?status=superseded');
    expect(listedCodes(onlyReplaced.text)).to.deep.equal([formatCode(superseded.code)]);
    // A replaced certificate links to its replacement, and offers neither revoking nor re-issuing.
    expect(onlyReplaced.text).to.contain(`href="/certificates?q=${replacement.code}"`);
    expect(onlyReplaced.text).not.to.contain(`/certificates/${superseded.code}/reissue`);
    expect(onlyReplaced.text).not.to.contain(`/certificates/${superseded.code}/revoke`);

    const onlyValid = await staff.get('/certificates?status=valid');
    expect(listedCodes(onlyValid.text).sort()).to.deep.equal(
      [formatCode(valid.code), formatCode(replacement.code)].sort(),
    );
    expect(foundCount((await staff.get('/certificates')).text)).to.equal(4);
  });

  it('filters by course and then offers that course for printing; a course id that is no course filters nothing and offers no print', async () => {
    const member = await quickUser();
    const inA = await storeCertificate({ userId: member.id, courseId: courseA });
    await storeCertificate({ userId: member.id, courseId: courseB });

    const filtered = await staff.get(`/certificates?course=${courseA}`);
    expect(listedCodes(filtered.text)).to.deep.equal([formatCode(inA.code)]);
    expect(filtered.text).to.contain(`href="/certificates/print?course=${courseA}"`);
    expect(filtered.text).to.contain(`<option value="${courseA}" selected>`);

    for (const course of ['0123456789abcdef01234567', 'not-a-course']) {
      const res = await staff.get(`/certificates?course=${course}`);
      expect(res.status).to.equal(200);
      expect(foundCount(res.text)).to.equal(2);
      expect(res.text).not.to.contain('/certificates/print?course=');
    }
  });

  it('lists more than fifty certificates newest first, fifty a page, and the next page keeps the search', async () => {
    const member = await quickUser();
    const start = Date.parse('2026-01-01T08:00:00Z');
    // Stored at once: one write for the lot.
    const made = await Certificate.insertMany(
      Array.from({ length: 53 }, (_, i) => ({
        code: newCertificateCode(),
        userId: new Types.ObjectId(member.id),
        courseId: new Types.ObjectId(courseA),
        number: i + 1,
        issuedAt: new Date(start + i * 60_000),
        statusIndex: 1000 + i,
        snapshot: { nameLatin: 'Farid Noori', completedAt: new Date(start) },
      })),
    );
    const newestFirst = made.map((c) => formatCode(c.code)).reverse();

    const first = await staff.get('/certificates?q=farid');
    expect(foundCount(first.text)).to.equal(53);
    expect(listedCodes(first.text)).to.deep.equal(newestFirst.slice(0, 50));
    const next = /<a rel="next" class="button" href="([^"]+)"/.exec(first.text)?.[1];
    expect(next?.replace(/&amp;/g, '&')).to.equal('/certificates?q=farid&page=2');

    const second = await staff.get('/certificates?q=farid&page=2');
    expect(listedCodes(second.text)).to.deep.equal(newestFirst.slice(50));
    expect(second.text).to.contain('rel="prev"').and.not.to.contain('rel="next"');

    // A page past the end is empty, not an error.
    const beyond = await staff.get('/certificates?q=farid&page=9');
    expect(beyond.status).to.equal(200);
    expect(listedCodes(beyond.text)).to.deep.equal([]);
  });

  it('search values given twice, or out of range, show the page unfiltered rather than failing', async () => {
    const member = await quickUser();
    await storeCertificate({ userId: member.id, courseId: courseA, nameLatin: 'Nadia Ahmadi' });
    await storeCertificate({ userId: member.id, courseId: courseB, nameLatin: 'Nadia Ahmadi' });
    const asked = [
      '/certificates?q=a&q=b',
      '/certificates?status=lost',
      `/certificates?course=${courseA}&course=${courseB}`,
      `/certificates?q=${'x'.repeat(500)}`,
      '/certificates?round=zzz',
      '/certificates?page=-3',
    ];
    for (const url of asked) {
      const res = await staff.get(url);
      expect(res.status, url).to.equal(200);
      expect(foundCount(res.text), url).to.equal(2);
    }
    // Only the desk's own notices are shown; any other in the address is ignored.
    for (const notice of ['bogus%3Cb%3E', '__proto__', 'revoked&notice=issued'])
      expect((await staff.get(`/certificates?notice=${notice}`)).text, notice).not.to.match(
        /certificates\.notices|Certificate (issued|revoked)\./,
      );
    expect((await staff.get('/certificates?notice=revoked')).text).to.contain('Certificate revoked.');
  });

  it('is for coordinators and admins: a trainer or member gets 403, an anonymous visitor is sent to sign in', async () => {
    const trainer = await loginAgent(app, await quickUser(['trainer']));
    expect((await trainer.get('/certificates')).status).to.equal(403);
    expect((await trainer.get(`/certificates/print?course=${courseA}`)).status).to.equal(403);
    const member = await loginAgent(app, await quickUser());
    expect((await member.get(`/certificates/print?course=${courseA}`)).status).to.equal(403);
    const anonymous = await request(app).get('/certificates?q=x');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.location).to.equal(`/login?next=${encodeURIComponent('/certificates?q=x')}`);
  });
});
