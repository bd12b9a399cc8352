import { expect } from 'chai';
import type { Express } from 'express';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Certificate, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import { issueMissing, issueOnCompletion } from '../../src/certificates/certificates.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completedMember } from '../helpers/certificates.js';
import { makeCourse } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  postForm,
} from '../helpers/factories.js';

describe('certificates: issuing, holders, coordinators', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('completing a course in parallel requests, with a catch-up racing them, issues one certificate', async () => {
    const fixture = await makeCourse({ authors: [(await makeTrainer()).id], lessons: 1 });
    const { member, certificate } = await completedMember(app, { fixture, parallel: 4 });
    await Promise.all([
      issueOnCompletion(member.id, String(fixture.course._id)),
      issueOnCompletion(member.id, String(fixture.course._id)),
      issueMissing({ courseId: String(fixture.course._id) }),
    ]);
    await new Promise((r) => setTimeout(r, 100));
    const all = await Certificate.find({ userId: member.id }).lean<CertificateDoc[]>();
    expect(all).to.have.length(1);
    expect(certificate.code).to.match(/^[2-9A-HJKMNP-TW-Z]{12}$/);
    expect(certificate.snapshot).to.include({ nameLocal: 'احمد شبیر صافی', hours: 3, score: null });
    expect(certificate.snapshot.courseTitle['fa-AF']).to.match(/^دوره /);
    expect(
      await AuditEvent.countDocuments({ action: 'certificate.issued', targetId: certificate.code }),
    ).to.equal(1);
  });

  it('a member lists and downloads their own certificate; nobody else sees it; staff may print it', async () => {
    const { member, certificate } = await completedMember(app);
    const agent = await loginAgent(app, member);
    const mine = await agent.get('/me/certificates');
    expect(mine.status).to.equal(200);
    expect(mine.text)
      .to.contain(certificate.code.slice(0, 4))
      .and.to.contain(`/certificates/${certificate.code}.pdf`);
    const pdf = await agent.get(`/certificates/${certificate.code}.pdf`).buffer(true);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers['content-type']).to.equal('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).to.equal('%PDF-');
    const other = await loginAgent(app, await makeMember());
    expect((await other.get(`/certificates/${certificate.code}.pdf`)).status).to.equal(404);
    expect((await other.get('/certificates')).status).to.equal(403);
    const coordinator = await loginAgent(app, await makeCoordinator());
    expect((await coordinator.get(`/certificates/${certificate.code}.pdf`)).status).to.equal(200);
    expect((await agent.get('/certificates/NOT-A-CODE.pdf')).status).to.equal(404);
  });

  it('a member chooses the names their certificates print and whether verification shows them', async () => {
    const { member, certificate } = await completedMember(app);
    const agent = await loginAgent(app, member);
    const bad = await postForm(
      agent,
      '/me/certificates/names',
      { displayName: '', localName: 'x\u202e' },
      '/me/certificates',
    );
    expect(bad.status).to.equal(422);
    const res = await postForm(
      agent,
      '/me/certificates/names',
      { displayName: 'Ahmad Shabir Safi', localName: 'احمد شبیر صافی', showNameOnVerification: 'on' },
      '/me/certificates',
    );
    expect(res.status).to.equal(303);
    const json = await agent.get(`/verify/${certificate.code}`).set('Accept', 'application/json');
    // The certificate keeps the name it was issued with; the choice to show it applies at once.
    expect(json.body.certificate.holderName).to.equal(certificate.snapshot.nameLatin);
  });

  it('a coordinator issues by hand with a reason, revokes, and re-issues with a new code', async () => {
    const coordinator = await makeCoordinator();
    const staff = await loginAgent(app, coordinator);
    const fixture = await makeCourse({ authors: [(await makeTrainer()).id] });
    const person = await makeMember();
    const courseId = String(fixture.course._id);
    let res = await postForm(
      staff,
      '/certificates',
      { email: person.email, courseId, reason: '' },
      '/certificates',
    );
    expect(res.status).to.equal(422);
    res = await postForm(
      staff,
      '/certificates',
      { email: 'nobody@example.org', courseId, reason: 'Paper round' },
      '/certificates',
    );
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('No active account has this email address.');
    res = await postForm(
      staff,
      '/certificates',
      { email: person.email, courseId, reason: 'Paper round in Herat' },
      '/certificates',
    );
    expect(res.status, res.text).to.equal(303);
    const issued = await Certificate.findOne({ userId: person.id }).lean<CertificateDoc>();
    expect(issued!.reason).to.equal('Paper round in Herat');
    res = await postForm(
      staff,
      '/certificates',
      { email: person.email, courseId, reason: 'Again' },
      '/certificates',
    );
    expect(res.status).to.equal(409);

    res = await postForm(
      staff,
      `/certificates/${issued!.code}/reissue`,
      { reason: 'Name corrected' },
      '/certificates',
    );
    expect(res.status).to.equal(303);
    const [old, replacement] = await Certificate.find({ userId: person.id })
      .sort({ number: 1 })
      .lean<CertificateDoc[]>();
    expect(old).to.include({ status: 'superseded', supersededBy: replacement!.code });
    expect(replacement).to.include({ status: 'valid', number: 2 });
    expect(replacement!.snapshot.completedAt.getTime()).to.equal(old!.snapshot.completedAt.getTime());
    // Re-issuing what is no longer valid, twice at once, or revoking a replaced one: refused.
    expect(
      (await postForm(staff, `/certificates/${old!.code}/reissue`, { reason: 'x' }, '/certificates')).status,
    ).to.equal(409);
    const twice = await Promise.all([
      postForm(staff, `/certificates/${replacement!.code}/reissue`, { reason: 'a' }, '/certificates'),
      postForm(staff, `/certificates/${replacement!.code}/reissue`, { reason: 'b' }, '/certificates'),
    ]);
    expect(twice.map((r) => r.status).sort()).to.deep.equal([303, 409]);
    const current = await Certificate.findOne({ userId: person.id, status: 'valid' }).lean<CertificateDoc>();
    expect(await Certificate.countDocuments({ userId: person.id, status: 'valid' })).to.equal(1);
    res = await postForm(staff, `/certificates/${current!.code}/revoke`, { reason: '' }, '/certificates');
    expect(res.status).to.equal(422);
    res = await postForm(
      staff,
      `/certificates/${current!.code}/revoke`,
      { reason: 'Issued in error' },
      '/certificates',
    );
    expect(res.status).to.equal(303);
    expect(await Certificate.countDocuments({ userId: person.id, status: 'valid' })).to.equal(0);
    // A revocation made in error is mended by re-issuing: the revoked one stays revoked and points on.
    res = await postForm(
      staff,
      `/certificates/${current!.code}/reissue`,
      { reason: 'Revoked in error' },
      '/certificates',
    );
    expect(res.status).to.equal(303);
    const mended = await Certificate.findOne({ userId: person.id, status: 'valid' }).lean<CertificateDoc>();
    const revoked = await Certificate.findOne({ code: current!.code }).lean<CertificateDoc>();
    expect(revoked).to.include({ status: 'revoked', supersededBy: mended!.code });
    res = await postForm(
      staff,
      `/certificates/${current!.code}/reissue`,
      { reason: 'Again' },
      '/certificates',
    );
    expect(res.status).to.equal(409);
    expect(await Certificate.countDocuments({ userId: person.id, status: 'valid' })).to.equal(1);
    const actions = (await AuditEvent.find({ targetType: 'certificate' }).lean()).map((e) => e.action).sort();
    expect(actions).to.deep.equal([
      'certificate.issued',
      'certificate.reissued',
      'certificate.reissued',
      'certificate.reissued',
      'certificate.revoked',
    ]);
  });
});
