import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import request from 'supertest';
import { scoreBand } from '../../src/certificates/verify.controller.js';
import { updateSettings } from '../../src/settings/settings.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { storeCertificate } from '../helpers/certificate-records.js';
import { quickFirstRun, quickUser } from '../helpers/quick-users.js';

describe('verifying a certificate: what the public answer says', function () {
  this.timeout(20_000);
  let app: Express;
  const courseId = String(new Types.ObjectId());

  beforeEach(async () => {
    app = await buildTestApp({ verifyPerMinute: 1000 });
    await quickFirstRun();
  });

  it('gives the score in bands of ten, the top band 90–100, and no band without a score', () => {
    const bands = [0, 9, 10, 55, 79, 80, 89, 90, 99, 100].map((s) => scoreBand(s));
    expect(bands).to.deep.equal([
      '0–9',
      '0–9',
      '10–19',
      '50–59',
      '70–79',
      '80–89',
      '80–89',
      '90–100',
      '90–100',
      '90–100',
    ]);
    expect(scoreBand(null)).to.equal(null);
  });

  it('answers with the course in each language it has, hours, score band, dates and issuer, and asks not to be indexed', async () => {
    const member = await quickUser();
    const c = await storeCertificate({
      userId: member.id,
      courseId,
      courseTitle: { en: 'Trafficking in persons', 'fa-AF': 'قاچاق انسان', 'ps-AF': '' },
      hours: 12,
      score: 86,
      completedAt: new Date('2026-03-10T09:00:00Z'),
      issuedAt: new Date('2026-03-12T11:30:00Z'),
      organisation: 'Afghan Network',
      nameLatin: 'Nadia Ahmadi',
    });
    const json = await request(app).get(`/verify/${c.code}`).set('Accept', 'application/json');
    expect(json.status).to.equal(200);
    expect(json.headers['x-robots-tag']).to.equal('noindex');
    expect(json.headers['cache-control']).to.equal('no-store');
    expect(json.body).to.deep.equal({
      status: 'valid',
      code: c.code,
      certificate: {
        course: { en: 'Trafficking in persons', 'fa-AF': 'قاچاق انسان' },
        hours: 12,
        scoreBand: '80–89',
        completedOn: '2026-03-10',
        issuedOn: '2026-03-12',
        organisation: 'Afghan Network',
        holderInitials: 'N. A.',
        holderName: null,
        holderNameLocal: null,
        revokedOn: null,
        supersededBy: null,
      },
    });

    const page = await request(app).get(`/verify/${c.code}`);
    expect(page.headers['x-robots-tag']).to.equal('noindex');
    expect(page.text).to.contain('<dd dir="ltr">80–89 %</dd>');
    expect(page.text).to.contain('<dd dir="auto">Afghan Network</dd>');
    expect(page.text).to.contain('<span lang="fa-AF" dir="auto" class="block">قاچاق انسان</span>');
    expect(page.text).not.to.contain('lang="ps-AF" dir="auto"');
    expect(page.text).to.contain('initials only, to protect the holder');
  });

  it('gives the days in the organisation’s time zone, as the page and the printed certificate do', async () => {
    await updateSettings({
      organisationName: 'Afghan Network',
      registrationMode: 'invite',
      timeZone: 'Asia/Kabul',
    });
    const member = await quickUser();
    // Late in the evening in UTC is the next morning in Kabul (UTC+4:30).
    const c = await storeCertificate({
      userId: member.id,
      courseId,
      completedAt: new Date('2026-03-10T21:00:00Z'),
      issuedAt: new Date('2026-03-12T23:30:00Z'),
      status: 'revoked',
      revokedAt: new Date('2026-04-01T20:00:00Z'),
      revokedReason: 'Attendance sheet forged',
    });
    const json = await request(app).get(`/verify/${c.code}`).set('Accept', 'application/json');
    expect(json.body.certificate).to.include({
      completedOn: '2026-03-11',
      issuedOn: '2026-03-13',
      revokedOn: '2026-04-02',
    });
    const page = await request(app).get(`/verify/${c.code}`);
    expect(page.text)
      .to.contain('March 11, 2026')
      .and.to.contain('March 13, 2026')
      .and.to.contain('April 2, 2026');
  });

  it('a certificate without a score shows no score line; a revoked one gives the day it was revoked', async () => {
    const member = await quickUser();
    const c = await storeCertificate({
      userId: member.id,
      courseId,
      score: null,
      status: 'revoked',
      revokedAt: new Date('2026-04-02T08:00:00Z'),
      revokedReason: 'Attendance sheet forged',
    });
    const json = await request(app).get(`/verify/${c.code}`).set('Accept', 'application/json');
    expect(json.body.status).to.equal('revoked');
    expect(json.body.certificate).to.include({ scoreBand: null, revokedOn: '2026-04-02' });
    const page = await request(app).get(`/verify/${c.code}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('This certificate has been revoked.').and.to.contain('Revoked on ');
    expect(page.text).not.to.contain('>Score<').and.not.to.contain('Attendance sheet forged');
  });

  it('the code form: empty or given twice shows the form; a typed code that cannot be one goes to its "unknown" answer, cut to 40 characters', async () => {
    for (const url of ['/verify', '/verify?code=', '/verify?code=a&code=b']) {
      const res = await request(app).get(url);
      expect(res.status, url).to.equal(200);
      expect(res.text).to.contain('<input id="f-code" name="code"');
    }
    const long = `<b>${'Q'.repeat(60)}`;
    const typed = await request(app).get(`/verify?code=${encodeURIComponent(long)}`);
    expect(typed.status).to.equal(303);
    expect(typed.headers.location).to.equal(`/verify/${encodeURIComponent(long.slice(0, 40))}`);
    const answer = await request(app).get(typed.headers.location!);
    expect(answer.status).to.equal(404);
    expect(answer.text).to.contain(`No certificate has the code “&lt;b&gt;${'Q'.repeat(37)}”`);
  });

  it('the offline verifier page carries the issuer key and allows exactly its own inline script', async () => {
    await updateSettings({ organisationName: 'Network <for> "rights"', registrationMode: 'invite' });
    const res = await request(app).get('/verify/offline.html');
    expect(res.status).to.equal(200);
    const scripts = [...res.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).to.have.length(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.contain(`script-src 'sha256-${hash}';`).and.to.contain("default-src 'none'");
    const key = JSON.parse((await request(app).get('/issuer/key')).text) as { publicKeyMultibase: string };
    const embedded = /<script type="application\/json" id="issuer-key">([^<]*)<\/script>/.exec(res.text)?.[1];
    expect((JSON.parse(embedded!) as { publicKeyMultibase: string }).publicKeyMultibase).to.equal(
      key.publicKeyMultibase,
    );
    expect(res.text).to.contain('Network &lt;for&gt; &#34;rights&#34;').and.not.to.contain('<for>');
    expect(res.text).to.contain('http://sabaq.test/credentials/status/0');
  });
});
