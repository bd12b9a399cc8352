import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Certificate, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import { formatCode } from '../../src/certificates/certificate-code.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { storeCertificate } from '../helpers/certificate-records.js';
import { makeCourse } from '../helpers/courses.js';
import { loginAgent, postForm, type TestUser } from '../helpers/factories.js';
import { quickFirstRun, quickUser } from '../helpers/quick-users.js';

const stored = (code: string) => Certificate.findOne({ code }).lean<CertificateDoc>();

describe('certificate desk: issuing, revoking and re-issuing refuse bad requests and lose nothing', () => {
  let app: Express;
  let staff: TestAgent;
  let courseId: string;
  let person: TestUser;

  const post = (path: string, fields: Record<string, string | string[]>) =>
    postForm(staff, path, fields, '/certificates');

  beforeEach(async () => {
    app = await buildTestApp();
    await quickFirstRun();
    courseId = String((await makeCourse({ authors: [(await quickUser(['trainer'])).id] })).course._id);
    person = await quickUser();
    staff = await loginAgent(app, await quickUser(['coordinator']));
  });

  it('issuing for a course id that is missing, sent twice, malformed or names no course is a 422 "Choose a course." keeping what was typed, and issues nothing', async () => {
    for (const bad of [undefined, [courseId, courseId], 'not-a-course', '0123456789abcdef01234567']) {
      const fields = { email: person.email, reason: 'Paper round', ...(bad ? { courseId: bad } : {}) };
      const res = await post('/certificates', fields);
      expect(res.status, String(bad)).to.equal(422);
      expect(res.text).to.contain('<p class="field-error">Choose a course.</p>');
      expect(res.text).not.to.contain('Invalid input');
      expect(res.text).to.contain(`value="${person.email}"`).and.to.contain('value="Paper round"');
    }
    expect(await Certificate.countDocuments({})).to.equal(0);
    expect(await AuditEvent.countDocuments({ action: 'certificate.issued' })).to.equal(0);
  });

  it('issuing to a disabled account is refused as for an unknown address', async () => {
    await User.updateOne({ _id: person.id }, { $set: { status: 'disabled' } });
    const res = await post('/certificates', { email: person.email, courseId, reason: 'Paper round' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('No active account has this email address.');
    expect(await Certificate.countDocuments({})).to.equal(0);
  });

  it('issuing with the email sent as a list, a malformed email or a reason over 500 characters is a 422 with a message', async () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{ email: [person.email, 'b@example.org'], courseId, reason: 'x' }, 'Please fill in this field.'],
      [{ email: 'not an address', courseId, reason: 'x' }, 'Enter an email address like name@example.org.'],
      [{ email: person.email, courseId, reason: 'r'.repeat(501) }, 'This is too long.'],
    ];
    for (const [fields, message] of cases) {
      const res = await post('/certificates', fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).to.equal(422);
      expect(res.text).to.contain(message);
    }
    expect(await Certificate.countDocuments({})).to.equal(0);
  });

  it('issuing to someone whose certificate for the course was revoked is a 409: a correction is a re-issue', async () => {
    const revoked = await storeCertificate({
      userId: person.id,
      courseId,
      status: 'revoked',
      revokedReason: 'Wrong course',
    });
    const res = await post('/certificates', { email: person.email, courseId, reason: 'Try again' });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain(
      'This person has a certificate for this course already; re-issue it to correct it.',
    );
    expect(await Certificate.countDocuments({ userId: person.id })).to.equal(1);
    expect(await stored(revoked.code)).to.include({ status: 'revoked', revokedReason: 'Wrong course' });
  });

  it('revoking or re-issuing a code that no certificate has, or that cannot be a code, is a 404 that records nothing', async () => {
    const valid = await storeCertificate({ userId: person.id, courseId });
    for (const code of ['ZZZZZZZZZZZZ', 'not-a-code', '%3Cscript%3E']) {
      for (const action of ['revoke', 'reissue']) {
        const res = await post(`/certificates/${code}/${action}`, { reason: 'Because' });
        expect(res.status, `${code} ${action}`).to.equal(404);
      }
    }
    expect(await stored(valid.code)).to.include({ status: 'valid', supersededBy: null });
    expect(await Certificate.countDocuments({})).to.equal(1);
    expect(await AuditEvent.countDocuments({ targetType: 'certificate' })).to.equal(0);
  });

  it('a code in the address typed in lower case with dashes is revoked under its own code, with who and why kept', async () => {
    const c = await storeCertificate({ userId: person.id, courseId });
    const typed = formatCode(c.code).toLowerCase();
    const res = await post(`/certificates/${typed}/revoke`, { reason: 'Attendance sheet forged' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/certificates?q=${c.code}&notice=revoked`);
    const after = await stored(c.code);
    expect(after).to.include({ status: 'revoked', revokedReason: 'Attendance sheet forged' });
    expect(after!.revokedAt).to.be.instanceOf(Date);
    const event = await AuditEvent.findOne({ action: 'certificate.revoked' }).lean();
    expect(event).to.deep.include({ targetId: c.code, details: { reason: 'Attendance sheet forged' } });
  });

  it('revoking a certificate already revoked is a 409 and keeps the first revocation as it was', async () => {
    const c = await storeCertificate({ userId: person.id, courseId });
    expect((await post(`/certificates/${c.code}/revoke`, { reason: 'First reason' })).status).to.equal(303);
    const first = await stored(c.code);
    const again = await post(`/certificates/${c.code}/revoke`, { reason: 'Second reason' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('This certificate is not valid any more (revoked or replaced).');
    const after = await stored(c.code);
    expect(after!.revokedReason).to.equal('First reason');
    expect(after!.revokedAt!.getTime()).to.equal(first!.revokedAt!.getTime());
    expect(await AuditEvent.countDocuments({ action: 'certificate.revoked' })).to.equal(1);
  });

  it('a reason missing, blank, over 500 characters or sent as a list is a 422 "Give a reason." and changes nothing', async () => {
    const c = await storeCertificate({ userId: person.id, courseId });
    const reasons: Record<string, string | string[]>[] = [
      {},
      { reason: '   ' },
      { reason: 'r'.repeat(501) },
      { reason: ['one', 'two'] },
    ];
    for (const fields of reasons)
      for (const action of ['revoke', 'reissue']) {
        const res = await post(`/certificates/${c.code}/${action}`, fields);
        expect(res.status, `${action} ${JSON.stringify(fields).slice(0, 40)}`).to.equal(422);
        expect(res.text).to.contain('Give a reason.');
      }
    expect(await stored(c.code)).to.include({ status: 'valid', supersededBy: null, revokedReason: '' });
    expect(await Certificate.countDocuments({})).to.equal(1);
  });

  it('a trainer or member posting a revocation or re-issue is refused with 403 and the certificate stays valid', async () => {
    const c = await storeCertificate({ userId: person.id, courseId });
    for (const who of [await quickUser(['trainer']), person]) {
      const agent = await loginAgent(app, who);
      for (const action of ['revoke', 'reissue']) {
        const res = await postForm(agent, `/certificates/${c.code}/${action}`, { reason: 'Mine now' });
        expect(res.status).to.equal(403);
      }
      const issue = await postForm(agent, '/certificates', { email: person.email, courseId, reason: 'x' });
      expect(issue.status).to.equal(403);
    }
    expect(await stored(c.code)).to.include({ status: 'valid', supersededBy: null });
    expect(await Certificate.countDocuments({})).to.equal(1);
  });
});
