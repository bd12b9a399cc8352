import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { Settings } from '../../src/settings/settings.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeMember, tokenFor } from '../helpers/factories.js';

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('the organisation logo: an upload kept in the file store', () => {
  let app: Express;
  let dir: string;
  let admin: TestAgent;

  const storedFiles = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  async function upload(agent: TestAgent, content: Buffer, filename: string) {
    const token = await tokenFor(agent, '/admin/settings');
    return agent
      .post(`/admin/settings/logo?_csrf=${encodeURIComponent(token)}`)
      .attach('logo', content, filename);
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-logo-'));
    app = await buildTestApp({ fileStore: diskFileStore(dir) });
    admin = await loginAgent(app, await completeFirstRun());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an admin uploads a PNG; it is served from the store with its type and a validator, and shown on the page', async () => {
    const res = await upload(admin, PNG, 'Our Logo.PNG');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/settings?saved=logo');
    expect(storedFiles()).to.equal(1);

    const page = await admin.get('/admin/settings?saved=logo');
    expect(page.text).to.contain('Logo saved.');
    expect(page.text).to.match(/<img class="logo-preview" src="\/organisation\/logo\?v=[0-9a-f]{12}"/);
    const logo = await request(app).get('/organisation/logo').buffer(true);
    expect(logo.status).to.equal(200);
    expect(logo.headers['content-type']).to.equal('image/png');
    expect(Buffer.from(logo.body as Buffer).equals(PNG)).to.equal(true);
    const again = await request(app)
      .get('/organisation/logo')
      .set('If-None-Match', String(logo.headers.etag));
    expect(again.status).to.equal(304);
  });

  it('a file whose content is not an accepted image, or whose name says another type, is refused by the field and nothing is kept', async () => {
    const text = await upload(admin, Buffer.from('<svg onload="alert(1)"></svg>'), 'logo.png');
    expect(text.status).to.equal(415);
    expect(text.text).to.contain('This file is not of an accepted type');
    const renamed = await upload(admin, PNG, 'logo.jpg');
    expect(renamed.status).to.equal(415);
    expect(storedFiles()).to.equal(0);
    expect((await Settings.findOne({}).lean())?.logo ?? null).to.equal(null);
  });

  it('an image over 1 MB is a 413 by the field and nothing is kept', async () => {
    const big = Buffer.concat([PNG.subarray(0, 33), Buffer.alloc(1_200_000, 1)]);
    const res = await upload(admin, big, 'logo.png');
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('too large');
    expect(storedFiles()).to.equal(0);
  });

  it('a new logo replaces the old file, and removing the logo removes its file', async () => {
    await upload(admin, PNG, 'a.png');
    await upload(admin, Buffer.concat([PNG, Buffer.from('different')]), 'b.png');
    expect(storedFiles()).to.equal(1);
    const token = await tokenFor(admin, '/admin/settings');
    const removed = await admin.post('/admin/settings/logo/remove').type('form').send({ _csrf: token });
    expect(removed.status).to.equal(303);
    expect(storedFiles()).to.equal(0);
    expect((await request(app).get('/organisation/logo')).status).to.equal(404);
  });

  it('a member, or a post without a CSRF token, uploads nothing', async () => {
    const member = await loginAgent(app, await makeMember());
    const token = await tokenFor(member, '/');
    const refused = await member
      .post(`/admin/settings/logo?_csrf=${encodeURIComponent(token)}`)
      .attach('logo', PNG, 'logo.png');
    expect(refused.status).to.equal(403);
    const noToken = await admin.post('/admin/settings/logo').attach('logo', PNG, 'logo.png');
    expect(noToken.status).to.equal(403);
    expect(storedFiles()).to.equal(0);
  });

  it('no file chosen is a 422 asking for one', async () => {
    const token = await tokenFor(admin, '/admin/settings');
    const res = await admin.post(`/admin/settings/logo?_csrf=${encodeURIComponent(token)}`).field('x', '1');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Choose an image file');
  });
});
