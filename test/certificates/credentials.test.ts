import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { verifyOffline } from '../../src/certificates/certificates.service.js';
import { identityHash } from '../../src/certificates/credential.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completedMember } from '../helpers/certificates.js';
import { completeFirstRun, loginAgent, makeCoordinator, makeMember, postForm } from '../helpers/factories.js';

type Json = Record<string, unknown>;

/** Runs `fn` with every way out of the process to the network refused. */
async function offline<T>(fn: () => Promise<T>): Promise<T> {
  const refuse = () => {
    throw new Error('network used while verifying');
  };
  const saved = {
    httpGet: http.get,
    httpRequest: http.request,
    httpsGet: https.get,
    httpsRequest: https.request,
    fetch: globalThis.fetch,
  };
  Object.assign(http, { get: refuse, request: refuse });
  Object.assign(https, { get: refuse, request: refuse });
  globalThis.fetch = refuse;
  try {
    return await fn();
  } finally {
    Object.assign(http, { get: saved.httpGet, request: saved.httpRequest });
    Object.assign(https, { get: saved.httpsGet, request: saved.httpsRequest });
    globalThis.fetch = saved.fetch;
  }
}

describe('signed credentials (Open Badges 3.0, eddsa-rdfc-2022)', function () {
  this.timeout(30_000);
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('the holder downloads a signed OpenBadgeCredential with their name; staff get it without; others nothing', async () => {
    const { member, certificate } = await completedMember(app);
    const res = await (await loginAgent(app, member)).get(`/certificates/${certificate.code}.json`);
    expect(res.status).to.equal(200);
    const vc = JSON.parse(res.text) as Json;
    expect(vc.type).to.deep.equal(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(vc.id).to.equal(`http://sabaq.test/verify/${certificate.code}`);
    expect(vc.proof).to.deep.include({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
    expect((vc.credentialSubject as Json).activityEndDate).to.match(/^\d{4}-\d{2}-\d{2}T/);
    const subject = vc.credentialSubject as {
      name?: string;
      identifier: { identityHash: string; salt: string; hashed: boolean }[];
    };
    expect(subject.name).to.contain(certificate.snapshot.nameLatin).and.to.contain('احمد شبیر صافی');
    const id = subject.identifier[0]!;
    expect(id.hashed).to.equal(true);
    expect(id.identityHash).to.equal(identityHash(member.email, id.salt));
    expect(res.text).not.to.contain(member.email);

    const staff = await (
      await loginAgent(app, await makeCoordinator())
    ).get(`/certificates/${certificate.code}.json`);
    expect((JSON.parse(staff.text) as { credentialSubject: Json }).credentialSubject).not.to.have.property(
      'name',
    );
    const other = await loginAgent(app, await makeMember());
    expect((await other.get(`/certificates/${certificate.code}.json`)).status).to.equal(404);
  });

  it('verifies with the network blocked; a changed field fails; a revoked one reports revoked', async () => {
    const { member, certificate } = await completedMember(app);
    const agent = await loginAgent(app, member);
    const vc = JSON.parse((await agent.get(`/certificates/${certificate.code}.json`)).text) as Json;
    const key = (await request(app).get('/issuer/key')).body as Json;
    expect(key).to.include({ type: 'Multikey', controller: 'http://sabaq.test/issuer' });
    const issuer = (await request(app).get('/issuer')).body as { assertionMethod: Json[] };
    expect(issuer.assertionMethod[0]).to.include({ id: key.id });
    const statusUrl = (vc.credentialStatus as { statusListCredential: string }).statusListCredential;
    const listBefore = (await request(app).get(new URL(statusUrl).pathname)).body as Json;

    const good = await offline(() => verifyOffline(vc, key as never, listBefore));
    expect(good).to.deep.include({ verified: true, revoked: false });

    const changed = structuredClone(vc) as { credentialSubject: { achievement: { name: string } } };
    changed.credentialSubject.achievement.name = 'Advanced course';
    expect((await offline(() => verifyOffline(changed as never, key as never))).verified).to.equal(false);
    const later = { ...vc, validFrom: '2020-01-01T00:00:00Z' };
    expect((await offline(() => verifyOffline(later, key as never))).verified).to.equal(false);

    const staff = await loginAgent(app, await makeCoordinator());
    await postForm(
      staff,
      `/certificates/${certificate.code}/revoke`,
      { reason: 'Issued in error' },
      '/certificates',
    );
    const listAfter = (await request(app).get(new URL(statusUrl).pathname)).body as Json;
    expect(await offline(() => verifyOffline(vc, key as never, listAfter))).to.deep.include({
      verified: true,
      revoked: true,
    });
    // A status list altered to hide the revocation no longer carries the issuer's signature.
    const forged = {
      ...listAfter,
      credentialSubject: (listBefore as { credentialSubject: Json }).credentialSubject,
    };
    expect((await offline(() => verifyOffline(vc, key as never, forged))).revoked).to.equal(null);
    expect((await request(app).get('/credentials/status/x')).status).to.equal(404);
  });

  it('npm run verify-credential checks a saved credential with a saved key, and says when it is revoked', async () => {
    const { member, certificate } = await completedMember(app);
    const vc = (await (await loginAgent(app, member)).get(`/certificates/${certificate.code}.json`)).text;
    const key = (await request(app).get('/issuer')).text;
    const dir = mkdtempSync(path.join(tmpdir(), 'sabaq-vc-'));
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [
        '--import',
        'tsx',
        'src/cli/verify-credential.ts',
        ...args,
      ]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    try {
      writeFileSync(path.join(dir, 'vc.json'), vc);
      writeFileSync(path.join(dir, 'key.json'), key);
      writeFileSync(
        path.join(dir, 'bad.json'),
        vc.replace(certificate.snapshot.courseTitle.en!, 'Another course'),
      );
      const ok = await run(path.join(dir, 'vc.json'), '--key', path.join(dir, 'key.json'));
      expect(ok.code, ok.out).to.equal(0);
      expect(ok.out).to.contain('VALID').and.to.contain('revocation not checked');
      const bad = await run(path.join(dir, 'bad.json'), '--key', path.join(dir, 'key.json'));
      expect(bad.code).to.equal(1);
      expect(bad.out).to.contain('NOT VALID');
      const staff = await loginAgent(app, await makeCoordinator());
      await postForm(staff, `/certificates/${certificate.code}/revoke`, { reason: 'x' }, '/certificates');
      writeFileSync(path.join(dir, 'status.json'), (await request(app).get('/credentials/status/0')).text);
      const revoked = await run(
        path.join(dir, 'vc.json'),
        '--key',
        path.join(dir, 'key.json'),
        '--status',
        path.join(dir, 'status.json'),
      );
      expect(revoked.code).to.equal(1);
      expect(revoked.out).to.contain('REVOKED');
      expect((await run()).code).to.equal(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
