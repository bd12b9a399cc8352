import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { verifyOffline } from '../../src/certificates/certificates.service.js';
import { forgetIssuerKey } from '../../src/certificates/credential-issuer.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { storeCertificate } from '../helpers/certificate-records.js';
import { makeCourse } from '../helpers/courses.js';
import { loginAgent, postForm } from '../helpers/factories.js';
import { quickFirstRun, quickUser } from '../helpers/quick-users.js';

type Json = Record<string, unknown>;

/** The revocation bits of a status list as served, read back as a verifier would. */
async function revokedBits(list: Json, upTo: number): Promise<number[]> {
  const bits = await decodeList({
    encodedList: String((list.credentialSubject as { encodedList: string }).encodedList),
  });
  return Array.from({ length: upTo }, (_, i) => i).filter((i) => bits.getStatus(i));
}

const issuerKeys = () => mongoose.connection.collection('issuerkeys');

describe('signed credentials: the issuer, its key, the revocation lists and what a credential says', function () {
  this.timeout(20_000);
  let app: Express;
  let courseId: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await quickFirstRun();
    courseId = String((await makeCourse({ authors: [(await quickUser(['trainer'])).id] })).course._id);
  });

  it('the issuer profile names the organisation and lists the public key as able to sign; no secret is ever served', async () => {
    const issuer = await request(app).get('/issuer');
    expect(issuer.status).to.equal(200);
    expect(issuer.headers['content-type']).to.equal('application/ld+json; charset=utf-8');
    expect(issuer.headers['cache-control']).to.equal('public, max-age=3600');
    const profile = JSON.parse(issuer.text) as {
      id: string;
      name: string;
      verificationMethod: Json[];
      assertionMethod: Json[];
    };
    expect(profile).to.include({ id: 'http://sabaq.test/issuer', name: 'Test Network' });
    const key = JSON.parse((await request(app).get('/issuer/key')).text) as Json;
    expect(key).to.include({ id: 'http://sabaq.test/issuer#key-1', controller: 'http://sabaq.test/issuer' });
    expect(key.publicKeyMultibase).to.match(/^z6Mk/);
    expect(profile.verificationMethod).to.deep.equal([
      {
        id: key.id,
        type: 'Multikey',
        controller: key.controller,
        publicKeyMultibase: key.publicKeyMultibase,
      },
    ]);
    expect(profile.assertionMethod).to.deep.equal(profile.verificationMethod);
    for (const text of [issuer.text, JSON.stringify(key)]) expect(text).not.to.match(/secret/i);
  });

  it('the key is made once and kept: a process starting afresh reads the stored key rather than making another', async () => {
    forgetIssuerKey();
    const first = JSON.parse((await request(app).get('/issuer/key')).text) as Json;
    const stored = await issuerKeys().find({}).toArray();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({ _id: 'ed25519-1', publicKeyMultibase: first.publicKeyMultibase });

    forgetIssuerKey();
    const again = JSON.parse((await request(app).get('/issuer/key')).text) as Json;
    expect(again.publicKeyMultibase).to.equal(first.publicKeyMultibase);
    expect(await issuerKeys().countDocuments({})).to.equal(1);

    // Another instance stored its key first: this one signs with that key.
    const theirs = await (await Ed25519Multikey.generate({})).export({ publicKey: true, secretKey: true });
    await issuerKeys().deleteMany({});
    await issuerKeys().insertOne({
      _id: 'ed25519-1' as never,
      publicKeyMultibase: theirs.publicKeyMultibase,
      secretKeyMultibase: theirs.secretKeyMultibase,
    });
    forgetIssuerKey();
    const used = JSON.parse((await request(app).get('/issuer/key')).text) as Json;
    expect(used.publicKeyMultibase).to.equal(theirs.publicKeyMultibase);
  });

  it('list 0 exists before any certificate, with no bit set; a list beyond those in use or a malformed number is a 404', async () => {
    const empty = await request(app).get('/credentials/status/0');
    expect(empty.status).to.equal(200);
    expect(empty.headers['cache-control']).to.equal('public, max-age=60');
    const list = JSON.parse(empty.text) as Json;
    expect(list).to.include({
      id: 'http://sabaq.test/credentials/status/0',
      issuer: 'http://sabaq.test/issuer',
    });
    expect(await revokedBits(list, 64)).to.deep.equal([]);
    for (const asked of ['1', '999999', '1234567', '-1', '1e3', '0x0', 'zero']) {
      const res = await request(app).get(`/credentials/status/${asked}`);
      expect(res.status, asked).to.equal(404);
    }
  });

  it('revoked and replaced certificates have their bit set, valid ones not; a revocation shows in the next list served', async () => {
    const member = await quickUser();
    const valid = await storeCertificate({ userId: member.id, courseId, number: 4 });
    const revoked = await storeCertificate({ userId: member.id, courseId, number: 1, status: 'revoked' });
    const replaced = await storeCertificate({
      userId: member.id,
      courseId,
      number: 2,
      status: 'superseded',
      supersededBy: valid.code,
    });
    const later = await storeCertificate({ userId: member.id, courseId, number: 3 });
    const before = JSON.parse((await request(app).get('/credentials/status/0')).text) as Json;
    expect(await revokedBits(before, 64)).to.deep.equal(
      [revoked.statusIndex, replaced.statusIndex].sort((a, b) => a - b),
    );

    const staff = await loginAgent(app, await quickUser(['coordinator']));
    await postForm(
      staff,
      `/certificates/${later.code}/revoke`,
      { reason: 'Issued in error' },
      '/certificates',
    );
    const after = JSON.parse((await request(app).get('/credentials/status/0')).text) as Json;
    expect(await revokedBits(after, 64)).to.deep.equal(
      [revoked.statusIndex, replaced.statusIndex, later.statusIndex].sort((a, b) => a - b),
    );
    expect(await revokedBits(after, 64)).not.to.include(valid.statusIndex);
  });

  it("a credential gives the course in the holder's language, the hours, both names, and the bit that revokes it", async () => {
    const member = await quickUser(['member'], { locale: 'fa-AF', displayName: 'Nadia Ahmadi' });
    const c = await storeCertificate({
      userId: member.id,
      courseId,
      nameLatin: 'Nadia Ahmadi',
      nameLocal: 'نادیه احمدی',
      courseTitle: { en: 'Trafficking in persons', 'fa-AF': 'قاچاق انسان' },
      hours: 12,
      issuedAt: new Date('2026-03-11T10:15:30.123Z'),
      completedAt: new Date('2026-03-10T09:00:00.456Z'),
    });
    const res = await (await loginAgent(app, member)).get(`/certificates/${c.code}.json`);
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="certificate-${c.code}.json"`);
    const vc = JSON.parse(res.text) as {
      name: string;
      validFrom: string;
      issuer: Json;
      credentialSubject: {
        name: string;
        activityEndDate: string;
        achievement: { criteria: { narrative: string } };
      };
      credentialStatus: Json;
    };
    expect(vc.name).to.equal('قاچاق انسان');
    expect(vc.validFrom).to.equal('2026-03-11T10:15:30Z');
    expect(vc.issuer).to.deep.equal({
      id: 'http://sabaq.test/issuer',
      type: ['Profile'],
      name: 'Test Network',
    });
    expect(vc.credentialSubject.name).to.equal('Nadia Ahmadi / نادیه احمدی');
    expect(vc.credentialSubject.activityEndDate).to.equal('2026-03-10T09:00:00Z');
    expect(vc.credentialSubject.achievement.criteria.narrative).to.contain('(12 hours)');
    expect(vc.credentialStatus).to.deep.equal({
      id: `http://sabaq.test/credentials/status/0#${c.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(c.statusIndex),
      statusListCredential: 'http://sabaq.test/credentials/status/0',
    });
  });

  it('checking against a status list other than the one the credential names says so and leaves revocation unknown', async () => {
    const member = await quickUser();
    const c = await storeCertificate({ userId: member.id, courseId, nameLatin: 'Farid Noori' });
    const vc = JSON.parse(
      (await (await loginAgent(app, member)).get(`/certificates/${c.code}.json`)).text,
    ) as Json;
    const key = JSON.parse((await request(app).get('/issuer/key')).text) as Json;
    const list = JSON.parse((await request(app).get('/credentials/status/0')).text) as Json;
    const elsewhere = await verifyOffline(vc, key as never, {
      ...list,
      id: 'http://sabaq.test/credentials/status/7',
    });
    expect(elsewhere).to.deep.equal({
      verified: true,
      revoked: null,
      problems: ['the status list given is not the one this credential names'],
    });
    // A credential checked with another issuer's key is not valid.
    const stranger = await (await Ed25519Multikey.generate({})).export({ publicKey: true });
    const foreign = await verifyOffline(vc, {
      ...key,
      publicKeyMultibase: stranger.publicKeyMultibase,
    } as never);
    expect(foreign).to.include({ verified: false, revoked: null });
    expect(foreign.problems.length).to.be.greaterThan(0);
  });
});
