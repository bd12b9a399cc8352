import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Certificate, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import { formatCode } from '../../src/certificates/certificate-code.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { storeCertificate, storeCompletion } from '../helpers/certificate-records.js';
import { makeCourse } from '../helpers/courses.js';
import { loginAgent, postForm, type TestUser } from '../helpers/factories.js';
import { quickFirstRun, quickUser } from '../helpers/quick-users.js';

/** One certificate's card on the page, found by its code. */
function cardOf(html: string, code: string): string {
  const cards = html.split('<li class="card">').slice(1);
  const card = cards.find((c) => c.includes(formatCode(code)));
  if (!card) throw new Error(`no card for ${code}`);
  return card.slice(0, card.indexOf('</li>'));
}

describe("a member's certificates page and names", () => {
  let app: Express;
  let member: TestUser;
  let agent: TestAgent;
  let courses: string[];

  const saveNames = (fields: Record<string, string | string[]>) =>
    postForm(agent, '/me/certificates/names', fields, '/me/certificates');

  beforeEach(async () => {
    app = await buildTestApp();
    await quickFirstRun();
    const trainer = await quickUser(['trainer']);
    courses = [];
    for (let i = 0; i < 3; i++)
      courses.push(String((await makeCourse({ authors: [trainer.id] })).course._id));
    member = await quickUser();
    agent = await loginAgent(app, member);
  });

  it('lists each certificate with its status and score; only a valid one offers the PDF, the credential and its verification page', async () => {
    const valid = await storeCertificate({ userId: member.id, courseId: courses[0]!, score: 87 });
    const revoked = await storeCertificate({ userId: member.id, courseId: courses[1]!, status: 'revoked' });
    const replaced = await storeCertificate({
      userId: member.id,
      courseId: courses[2]!,
      status: 'superseded',
      supersededBy: valid.code,
      score: null,
    });
    const page = await agent.get('/me/certificates');
    expect(page.status).to.equal(200);

    const good = cardOf(page.text, valid.code);
    expect(good).to.contain('<span class="badge">Valid</span>').and.to.contain('score 87%');
    expect(good)
      .to.contain(`href="/certificates/${valid.code}.pdf"`)
      .and.to.contain(`href="/certificates/${valid.code}.json"`)
      .and.to.contain(`href="/verify/${valid.code}"`);

    const bad = cardOf(page.text, revoked.code);
    expect(bad).to.contain('<span class="badge muted">Revoked</span>');
    expect(bad).not.to.contain('.pdf').and.not.to.contain('.json');
    const old = cardOf(page.text, replaced.code);
    expect(old).to.contain('<span class="badge muted">Replaced</span>').and.not.to.contain('score ');
    expect(old).not.to.contain('.pdf');
  });

  it('with no certificate, says how one is earned; another member sees none of someone else’s', async () => {
    const someone = await quickUser();
    await storeCertificate({ userId: someone.id, courseId: courses[0]! });
    const page = await agent.get('/me/certificates');
    expect(page.text).to.contain('No certificate yet. You receive one when you complete a course.');
    expect(page.text).not.to.contain('<li class="card">');
  });

  it('opening the page issues a certificate that a completion left behind, and lists it', async () => {
    await storeCompletion(member.id, courses[1]!);
    const page = await agent.get('/me/certificates');
    const issued = await Certificate.findOne({ userId: member.id }).lean<CertificateDoc>();
    expect(issued).to.include({ status: 'valid', number: 1 });
    expect(String(issued!.courseId)).to.equal(courses[1]);
    expect(page.text).to.contain(formatCode(issued!.code));
    expect(
      await AuditEvent.countDocuments({ action: 'certificate.issued', targetId: issued!.code }),
    ).to.equal(1);
    // A second visit issues nothing more.
    await agent.get('/me/certificates');
    expect(await Certificate.countDocuments({ userId: member.id })).to.equal(1);
  });

  it('saves the names trimmed and says so; leaving the box unticked takes the name off the verification page', async () => {
    const c = await storeCertificate({ userId: member.id, courseId: courses[0]!, nameLatin: 'Nadia Ahmadi' });
    await User.updateOne({ _id: member.id }, { $set: { showNameOnVerification: true } });
    const res = await saveNames({ displayName: '  Nadia Ahmadi  ', localName: ' نادیه احمدی ' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/me/certificates?saved=names');
    const saved = await User.findById(member.id).lean();
    expect(saved).to.include({
      displayName: 'Nadia Ahmadi',
      localName: 'نادیه احمدی',
      showNameOnVerification: false,
    });

    const page = await agent.get(res.headers.location!);
    expect(page.text).to.contain('Your names are saved.');
    expect(page.text).to.contain('value="نادیه احمدی"');
    expect(page.text).not.to.match(/name="showNameOnVerification" value="on" checked/);
    const shown = await request(app).get(`/verify/${c.code}`).set('Accept', 'application/json');
    expect(shown.body.certificate).to.include({ holderName: null, holderInitials: 'N. A.' });

    await saveNames({ displayName: 'Nadia Ahmadi', localName: '', showNameOnVerification: 'on' });
    const ticked = await agent.get('/me/certificates');
    expect(ticked.text).to.match(/name="showNameOnVerification" value="on" checked/);
    expect((await User.findById(member.id).lean())!.showNameOnVerification).to.equal(true);
  });

  it('names too long, sent as lists, or a tick that is no tick are refused with 422 and nothing is stored', async () => {
    const before = await User.findById(member.id).lean();
    const cases: [Record<string, string | string[]>, string][] = [
      [{ displayName: 'n'.repeat(121) }, 'This is too long.'],
      [{ displayName: 'Nadia', localName: 'ن'.repeat(121) }, 'This is too long.'],
      [{ displayName: ['Nadia', 'Ahmadi'] }, 'Please fill in this field.'],
      [{ displayName: 'Nadia', localName: 'a\u202eb' }, 'characters that cannot be shown'],
    ];
    for (const [fields, message] of cases) {
      const res = await saveNames(fields);
      expect(res.status, JSON.stringify(fields).slice(0, 60)).to.equal(422);
      expect(res.text).to.contain(message);
    }
    const tick = await saveNames({ displayName: 'Nadia', showNameOnVerification: 'yes-please' });
    expect(tick.status).to.equal(422);
    const after = await User.findById(member.id).lean();
    expect(after).to.include({
      displayName: before!.displayName,
      localName: before!.localName,
      showNameOnVerification: false,
    });
  });

  it('a revoked or replaced certificate is gone for its holder and staff (410, with the reason) and unknown to others (404)', async () => {
    const revoked = await storeCertificate({ userId: member.id, courseId: courses[0]!, status: 'revoked' });
    const replaced = await storeCertificate({
      userId: member.id,
      courseId: courses[1]!,
      status: 'superseded',
      supersededBy: 'AAAAAAAAAAAA',
    });
    const staff = await loginAgent(app, await quickUser(['coordinator']));
    const other = await loginAgent(app, await quickUser());
    for (const c of [revoked, replaced])
      for (const ext of ['pdf', 'json']) {
        const own = await agent.get(`/certificates/${c.code}.${ext}`);
        expect(own.status, `${c.status} ${ext}`).to.equal(410);
        expect(own.text).to.contain('This certificate is not valid any more (revoked or replaced).');
        expect((await staff.get(`/certificates/${c.code}.${ext}`)).status).to.equal(410);
        expect((await other.get(`/certificates/${c.code}.${ext}`)).status).to.equal(404);
      }
  });

  it('an anonymous visitor asking for the page, a PDF or a credential is sent to sign in and back; their posted names are refused (403)', async () => {
    const c = await storeCertificate({ userId: member.id, courseId: courses[0]! });
    for (const path of ['/me/certificates', `/certificates/${c.code}.pdf`, `/certificates/${c.code}.json`]) {
      const res = await request(app).get(path);
      expect(res.status, path).to.equal(303);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(path)}`);
    }
    const post = await request(app).post('/me/certificates/names').type('form').send({ displayName: 'X' });
    expect(post.status).to.equal(403);
    expect((await User.findById(member.id).lean())!.displayName).to.equal(member.displayName);
  });
});
