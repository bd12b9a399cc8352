import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { PNG } from 'pngjs';
import type TestAgent from 'supertest/lib/agent.js';
import { DEFAULT_TEMPLATE, getSignatures, getTemplate } from '../../src/certificates/certificate-template.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { loginAgent, postForm, tokenFor } from '../helpers/factories.js';
import { quickFirstRun } from '../helpers/quick-users.js';

/** A small PNG, a dark line on white: enough to be a signature. */
function signaturePng(): Buffer {
  const png = new PNG({ width: 40, height: 12 });
  for (let i = 0; i < png.data.length; i += 4) {
    const dark = Math.floor(i / 4 / 40) === 6;
    png.data[i] = png.data[i + 1] = png.data[i + 2] = dark ? 30 : 255;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

const SAVED = {
  'organisation[en]': 'Afghan Network',
  locales: ['en', 'fa-AF'],
  main: 'en',
  colour: '#336699',
  signatoryName: ['Zahra Ahmadi', '', ''],
  signatoryTitle: ['Coordinator', '', ''],
};

describe('certificate template: what is kept, what is refused', () => {
  let app: Express;
  let admin: TestAgent;
  let dir: string;
  const storedFiles = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  const save = (fields: Record<string, string | string[]>) =>
    postForm(admin, '/admin/certificate-template', fields, '/admin/certificate-template');
  const upload = async (slot: string, content: Buffer | null, name = 'sig.png') => {
    const token = await tokenFor(admin, '/admin/certificate-template');
    const req = admin.post(
      `/admin/certificate-template/signatures/${slot}?_csrf=${encodeURIComponent(token)}`,
    );
    return content ? req.attach('signature', content, name) : req.field('note', 'no file');
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-template-'));
    app = await buildTestApp({ fileStore: diskFileStore(dir) });
    admin = await loginAgent(app, await quickFirstRun());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the main language leads even when not ticked, languages we do not have are dropped, and only our languages keep a name', async () => {
    const res = await save({
      ...SAVED,
      'organisation[fa-AF]': 'شبکهٔ افغان',
      'organisation[xx]': 'Nobody reads this',
      locales: ['en', 'xx', 'en'],
      main: 'ps-AF',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/certificate-template?saved=1');
    const t = await getTemplate();
    expect(t.locales).to.deep.equal(['ps-AF', 'en']);
    expect(t.organisation).to.deep.equal({ en: 'Afghan Network', 'fa-AF': 'شبکهٔ افغان', 'ps-AF': '' });
    expect(t.signatories).to.deep.equal([
      { name: 'Zahra Ahmadi', title: 'Coordinator' },
      { name: '', title: '' },
      { name: '', title: '' },
    ]);
    expect((await admin.get(res.headers.location!)).text).to.contain('Template saved.');
  });

  it('a main language we do not have, four signatories, a name or title too long, or two colours are refused with 422; the saved template stays', async () => {
    expect((await save(SAVED)).status).to.equal(303);
    const before = await getTemplate();
    // Each is marked by its field, and what was typed is shown again (here, a changed first signatory).
    const typed = { ...SAVED, signatoryName: ['Typed Name', '', ''] };
    const refused: [Record<string, string | string[]>, string][] = [
      [{ ...typed, main: 'de' }, 'Choose one to three languages, the main one among them.'],
      [{ ...typed, signatoryName: ['Typed Name', 'B', 'C', 'D'] }, 'At most three signatories.'],
      [{ ...typed, 'organisation[en]': 'o'.repeat(201) }, 'This is too long.'],
      [{ ...typed, signatoryTitle: ['t'.repeat(121)] }, 'This is too long.'],
      [{ ...typed, colour: ['#000000', '#ffffff'] }, 'Choose a colour.'],
    ];
    for (const [fields, message] of refused) {
      const res = await save(fields);
      const what = JSON.stringify(fields).slice(0, 120);
      expect(res.status, what).to.equal(422);
      expect(res.text).to.contain('Please correct the fields marked below.');
      expect(res.text, what).to.contain(`<p class="field-error">${message}</p>`);
      expect(res.text, what).to.contain('value="Typed Name"');
    }
    const wrongMain = await save({ ...SAVED, main: 'de' });
    expect(wrongMain.text).to.contain('Choose one to three languages, the main one among them.');
    expect(await getTemplate()).to.deep.equal(before);
  });

  it('an upload with no file asks for an image, one over 1 MB is refused as too large; neither leaves a file', async () => {
    await save(SAVED);
    const none = await upload('0', null);
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Choose an image file to upload.');
    const huge = Buffer.concat([signaturePng(), Buffer.alloc(1024 * 1024 + 10, 7)]);
    const tooBig = await upload('0', huge);
    expect(tooBig.status).to.equal(413);
    expect(tooBig.text).to.contain('What you sent is too large.');
    expect(storedFiles()).to.equal(0);
    expect(await getSignatures()).to.deep.equal([null, null, null]);
  });

  it('a slot that is not one of the three is a 404 for uploading and for removing, and stores nothing', async () => {
    await save(SAVED);
    for (const slot of ['3', '9', '10', '-1', '1x', '01']) {
      expect((await upload(slot, signaturePng())).status, `upload ${slot}`).to.equal(404);
      const token = await tokenFor(admin, '/admin/certificate-template');
      const removed = await admin
        .post(`/admin/certificate-template/signatures/${slot}/remove`)
        .type('form')
        .send({ _csrf: token });
      expect(removed.status, `remove ${slot}`).to.equal(404);
    }
    expect(storedFiles()).to.equal(0);
  });

  it('an image uploaded before any template was saved is kept, and the template stays the default; removing an empty slot is harmless', async () => {
    expect((await upload('1', signaturePng(), 'sig.png')).status).to.equal(303);
    const signatures = await getSignatures();
    expect(signatures[0]).to.equal(null);
    expect(signatures[1]).to.include({ mime: 'image/png' });
    expect(storedFiles()).to.equal(1);
    expect(await getTemplate()).to.deep.equal(DEFAULT_TEMPLATE);

    const token = await tokenFor(admin, '/admin/certificate-template');
    const removed = await admin
      .post('/admin/certificate-template/signatures/2/remove')
      .type('form')
      .send({ _csrf: token });
    expect(removed.status).to.equal(303);
    expect(storedFiles()).to.equal(1);
    expect((await getSignatures())[1]).to.include({ mime: 'image/png' });
  });
});
