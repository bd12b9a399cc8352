import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { PNG } from 'pngjs';
import type TestAgent from 'supertest/lib/agent.js';
import { getTemplate } from '../../src/certificates/certificate-template.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeCoordinator, postForm, tokenFor } from '../helpers/factories.js';

/** A small signature-like PNG: a dark stroke on white. */
function signaturePng(shade: number): Buffer {
  const png = new PNG({ width: 60, height: 20 });
  for (let i = 0; i < png.data.length; i += 4) {
    const row = Math.floor(i / 4 / 60);
    const dark = row >= 9 && row <= 11;
    png.data[i] = png.data[i + 1] = png.data[i + 2] = dark ? shade : 255;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

const TEMPLATE = {
  'organisation[en]': 'Afghanistan Network for Combating Trafficking in Persons',
  'organisation[ps-AF]': 'د انسانانو د قاچاق پر وړاندې د مبارزې افغان شبکه',
  locales: ['en', 'ps-AF'],
  main: 'ps-AF',
  colour: '#7A1F3D',
  signatoryName: ['Zahra Ahmadi', 'محمد نعیم', ''],
  signatoryTitle: ['Coordinator', 'روزونکی', ''],
};

describe('certificate template (admin)', () => {
  let app: Express;
  let admin: TestAgent;
  let dir: string;
  const storedFiles = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  async function uploadSignature(slot: number, content: Buffer, filename: string) {
    const token = await tokenFor(admin, '/admin/certificate-template');
    return admin
      .post(`/admin/certificate-template/signatures/${slot}?_csrf=${encodeURIComponent(token)}`)
      .attach('signature', content, filename);
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-signatures-'));
    app = await buildTestApp({ fileStore: diskFileStore(dir) });
    admin = await loginAgent(app, await completeFirstRun());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves names, languages (the main one first), colour and signatories; refuses bad values; admins only', async () => {
    let res = await postForm(admin, '/admin/certificate-template', TEMPLATE, '/admin/certificate-template');
    expect(res.status, res.text).to.equal(303);
    const saved = await getTemplate();
    expect(saved.locales).to.deep.equal(['ps-AF', 'en']);
    expect(saved.colour).to.equal('#7a1f3d');
    expect(saved.signatories).to.deep.equal([
      { name: 'Zahra Ahmadi', title: 'Coordinator' },
      { name: 'محمد نعیم', title: 'روزونکی' },
      { name: '', title: '' },
    ]);
    res = await postForm(
      admin,
      '/admin/certificate-template',
      { ...TEMPLATE, colour: 'red' },
      '/admin/certificate-template',
    );
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Choose a colour.');
    res = await postForm(
      admin,
      '/admin/certificate-template',
      { ...TEMPLATE, locales: [] },
      '/admin/certificate-template',
    );
    expect(res.status).to.equal(422);
    res = await postForm(
      admin,
      '/admin/certificate-template',
      { ...TEMPLATE, signatoryName: ['A\u202eB'] },
      '/admin/certificate-template',
    );
    expect(res.status).to.equal(422);
    const coordinator = await loginAgent(app, await makeCoordinator());
    expect((await coordinator.get('/admin/certificate-template')).status).to.equal(403);
    expect((await coordinator.get('/admin/certificate-template/preview.pdf')).status).to.equal(403);
  });

  it('a signature image per signatory: stored, drawn in the preview, replaced and removed without leaving files', async () => {
    await postForm(admin, '/admin/certificate-template', TEMPLATE, '/admin/certificate-template');
    const before = (await admin.get('/admin/certificate-template/preview.pdf').buffer(true)).body as Buffer;
    expect(before.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(before.toString('latin1')).not.to.contain('/Subtype /Image');

    expect((await uploadSignature(0, signaturePng(20), 'zahra.png')).status).to.equal(303);
    expect(storedFiles()).to.equal(1);
    const preview = await admin.get('/admin/certificate-template/preview.pdf').buffer(true);
    expect(preview.headers['content-type']).to.equal('application/pdf');
    expect((preview.body as Buffer).toString('latin1')).to.contain('/Subtype /Image');

    expect((await uploadSignature(0, signaturePng(60), 'zahra-2.png')).status).to.equal(303);
    expect(storedFiles()).to.equal(1);
    // Saving the names again keeps the image.
    await postForm(admin, '/admin/certificate-template', TEMPLATE, '/admin/certificate-template');
    expect((await admin.get('/admin/certificate-template')).text).to.contain('Image set');

    // Clearing the first name leaves its place empty: the second signatory does not move under its image.
    await postForm(
      admin,
      '/admin/certificate-template',
      { ...TEMPLATE, signatoryName: ['', 'محمد نعیم', ''] },
      '/admin/certificate-template',
    );
    const page = await admin.get('/admin/certificate-template');
    expect(page.text).not.to.contain('Signature of محمد نعیم</label>\n      <input id="f-signature-0"');
    expect(page.text).to.contain('id="f-signature-1"').and.not.to.contain('id="f-signature-0"');
    const noImage = (await admin.get('/admin/certificate-template/preview.pdf').buffer(true)).body as Buffer;
    expect(noImage.toString('latin1')).not.to.contain('/Subtype /Image');
    await postForm(admin, '/admin/certificate-template', TEMPLATE, '/admin/certificate-template');

    const refused = await uploadSignature(1, Buffer.from('not an image at all'), 'sig.png');
    expect(refused.status).to.equal(415);
    expect(storedFiles()).to.equal(1);
    expect((await uploadSignature(7, signaturePng(20), 'x.png')).status).to.equal(404);
    expect(storedFiles()).to.equal(1);

    const token = await tokenFor(admin, '/admin/certificate-template');
    const removed = await admin
      .post('/admin/certificate-template/signatures/0/remove')
      .type('form')
      .send({ _csrf: token });
    expect(removed.status).to.equal(303);
    expect(storedFiles()).to.equal(0);
  });
});
