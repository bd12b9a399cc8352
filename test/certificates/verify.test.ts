import { expect } from 'chai';
import type { Express } from 'express';
import { Certificate } from '../../src/certificates/certificate.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completedMember } from '../helpers/certificates.js';
import { completeFirstRun, loginAgent, makeCoordinator, postForm } from '../helpers/factories.js';
import request from 'supertest';

describe('verifying a certificate: public, private by default, the same answer for unknown and malformed', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('says what was certified and names the holder by initials only, unless they chose otherwise', async () => {
    const { member, certificate } = await completedMember(app, { localName: 'ګلالۍ ړنګینه' });
    const name = certificate.snapshot.nameLatin;
    const page = await request(app).get(
      `/verify/${certificate.code.toLowerCase().replace(/(.{4})/g, '$1-')}`,
    );
    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(page.text)
      .to.contain('This certificate is valid.')
      .and.to.contain(certificate.snapshot.courseTitle.en!);
    expect(page.text).not.to.contain(name).and.not.to.contain('ګلالۍ');
    const initials = name
      .split(/\s+/)
      .map((w) => `${w[0]!.toUpperCase()}.`)
      .join(' ');
    expect(page.text).to.contain(initials);
    const json = await request(app).get(`/verify/${certificate.code}`).set('Accept', 'application/json');
    expect(json.body).to.deep.include({ status: 'valid', code: certificate.code });
    expect(json.body.certificate).to.include({
      holderName: null,
      holderNameLocal: null,
      hours: 3,
      scoreBand: null,
      holderInitials: initials,
    });
    expect(JSON.stringify(json.body)).not.to.contain(member.email);

    await User.updateOne({ _id: member.id }, { $set: { showNameOnVerification: true } });
    const shown = await request(app).get(`/verify/${certificate.code}`).set('Accept', 'application/json');
    expect(shown.body.certificate).to.include({ holderName: name, holderNameLocal: 'ګلالۍ ړنګینه' });
  });

  it('revoked and replaced certificates say so, and the replaced one points to its replacement', async () => {
    const { certificate } = await completedMember(app);
    const staff = await loginAgent(app, await makeCoordinator());
    await postForm(
      staff,
      `/certificates/${certificate.code}/reissue`,
      { reason: 'Spelling' },
      '/certificates',
    );
    const replaced = await request(app).get(`/verify/${certificate.code}`);
    const replacement = await Certificate.findOne({ number: 2 }).lean();
    expect(replaced.text)
      .to.contain('replaced by a corrected one')
      .and.to.contain(`/verify/${replacement!.code}`);
    await postForm(staff, `/certificates/${replacement!.code}/revoke`, { reason: 'Fraud' }, '/certificates');
    const revoked = await request(app).get(`/verify/${replacement!.code}`).set('Accept', 'application/json');
    expect(revoked.body.status).to.equal('revoked');
    expect(revoked.body.certificate.revokedOn).to.match(/^\d{4}-\d{2}-\d{2}$/);
    // The reason is for staff, not for the public.
    expect(JSON.stringify(revoked.body)).not.to.contain('Fraud');
  });

  it('an unknown code and a malformed one get the same answer', async () => {
    const asked = ['ABCDEFGHJKMN', 'abcd-efgh-jkmn', '<script>x', 'O0O0O0O0O0O0', "'; DROP", 'x'.repeat(200)];
    const undecodable = await request(app).get('/verify/%zz').set('Accept', 'application/json');
    expect(undecodable.status).to.equal(404);
    expect(undecodable.body).to.deep.equal({ status: 'unknown' });
    const answers = await Promise.all(
      asked.map((code) =>
        request(app)
          .get(`/verify/${encodeURIComponent(code)}`)
          .set('Accept', 'application/json'),
      ),
    );
    for (const a of answers) {
      expect(a.status).to.equal(404);
      expect(a.body).to.deep.equal({ status: 'unknown' });
    }
    const pages = await Promise.all(
      asked.map((code) => request(app).get(`/verify/${encodeURIComponent(code)}`)),
    );
    for (const p of pages) {
      expect(p.status).to.equal(404);
      expect(p.text).to.contain('No certificate has the code');
    }
    expect(pages[2]!.text).not.to.contain('<script>x');
  });

  it('the code form sends a typed code to its page, and the page is rate-limited', async () => {
    const { certificate } = await completedMember(app);
    const typed = await request(app).get(
      `/verify?code=${encodeURIComponent(' ' + certificate.code.toLowerCase() + ' ')}`,
    );
    expect(typed.status).to.equal(303);
    expect(typed.headers.location).to.equal(`/verify/${certificate.code}`);
    const limited = await buildTestApp({ verifyPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await request(limited).get(`/verify/${certificate.code}`)).status);
    expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
  });
});
