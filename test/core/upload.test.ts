import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import express, { type ErrorRequestHandler, type Express } from 'express';
import request from 'supertest';
import type { FileStore } from '../../src/core/file-store.js';
import { uploadOne, type UploadRule } from '../../src/core/upload.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5_000, 'x'), Buffer.from('\n%%EOF\n')]);
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const RULE: UploadRule = {
  field: 'file',
  kinds: { 'application/pdf': ['pdf'], 'image/png': ['png'] },
  maxBytes: 100_000,
  // Pictures have a smaller limit than documents.
  maxBytesFor: (mime) => (mime === 'image/png' ? 2_000 : 100_000),
};

/** A route that reports what the upload middleware left for it, as a controller would use it. */
function appWith(store: FileStore, rule: UploadRule = RULE): Express {
  const app = express();
  app.post('/upload', uploadOne(store, rule), (req, res) => {
    res.status(req.uploadRefusal?.status ?? 200).json({
      upload: req.upload ?? null,
      refusal: req.uploadRefusal ?? null,
      body: req.body as unknown,
    });
  });
  const onError: ErrorRequestHandler = (err: Error, _req, res, _next) => {
    res.status(500).json({ error: err.message });
  };
  app.use(onError);
  return app;
}

describe('receiving one uploaded file', () => {
  let dir: string;
  let store: FileStore;
  let app: Express;
  /** Every file under the store's folder, half-written ones included. */
  const filesOnDisk = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-upload-'));
    store = diskFileStore(dir);
    app = appWith(store);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps an accepted file with the type read from its content and its Dari name as sent, beside the text fields', async () => {
    const res = await request(app)
      .post('/upload')
      .field('title', 'Handout')
      .attach('file', PDF, { filename: 'دست‌نامه قانون.PDF', contentType: 'image/png' });
    expect(res.status).to.equal(200);
    const upload = (res.body as { upload: Record<string, unknown> }).upload;
    expect(upload).to.include({
      size: PDF.length,
      mime: 'application/pdf',
      originalName: 'دست‌نامه قانون.PDF',
    });
    expect((res.body as { body: unknown }).body).to.deep.equal({ title: 'Handout' });
    expect((await buffer(await store.open(String(upload.id)))).equals(PDF)).to.equal(true);
    expect(filesOnDisk()).to.equal(1);
  });

  it('a picture over the pictures’ own limit is a 413 even though documents may be larger; nothing is kept', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(3_000, 1)]);
    const res = await request(app).post('/upload').attach('file', big, 'logo.png');
    expect(res.status).to.equal(413);
    expect(res.body).to.deep.include({ upload: null, refusal: { status: 413, message: 'errors.tooLarge' } });
    expect(filesOnDisk()).to.equal(0);
  });

  it('content that is none of the kinds, or a name that says another kind, is a 415; nothing is kept', async () => {
    for (const [content, name] of [
      [Buffer.from('just some text, not a document'), 'notes.pdf'],
      [PNG, 'picture.pdf'],
      [PDF, 'handout'],
    ] as const) {
      const res = await request(app).post('/upload').attach('file', content, name);
      expect(res.status, name).to.equal(415);
      expect((res.body as { refusal: unknown }).refusal, name).to.deep.equal({
        status: 415,
        message: 'errors.fileType',
      });
    }
    expect(filesOnDisk()).to.equal(0);
  });

  it('a second file in the form is a 400, and the first one, already stored, is removed', async () => {
    const res = await request(app)
      .post('/upload')
      .attach('file', PDF, 'one.pdf')
      .attach('file', PDF, 'two.pdf');
    expect(res.status).to.equal(400);
    expect((res.body as { refusal: unknown }).refusal).to.deep.equal({
      status: 400,
      message: 'errors.badRequest',
    });
    expect(filesOnDisk()).to.equal(0);
  });

  it('a file in another field, or more text fields than a form has, is a 400 and nothing is kept', async () => {
    const other = await request(app).post('/upload').attach('picture', PDF, 'one.pdf');
    expect(other.status).to.equal(400);
    let many = request(app).post('/upload');
    for (let i = 0; i < 21; i++) many = many.field(`f${i}`, 'x');
    expect((await many.attach('file', PDF, 'one.pdf')).status).to.equal(400);
    expect(filesOnDisk()).to.equal(0);
  });

  it('a form cut off in the middle of its file is a 400, and once the store is done with it no half file is left', async () => {
    // Past the first 256 kB the type is known and the store is writing when the form breaks off. The refusal
    // can be sent while the store is still busy with the broken file: wait for the store, not a clock.
    const saves: Promise<unknown>[] = [];
    const tracked: FileStore = {
      ...store,
      save: (...args) => {
        const saving = store.save(...args);
        saves.push(saving);
        return saving;
      },
    };
    const head = Buffer.from(
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\n' +
        'Content-Type: application/pdf\r\n\r\n',
    );
    const res = await request(appWith(tracked, { ...RULE, maxBytes: 1_000_000, maxBytesFor: undefined }))
      .post('/upload')
      .set('Content-Type', 'multipart/form-data; boundary=XyZ')
      .send(Buffer.concat([head, Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 'x')]));
    expect(res.status).to.equal(400);
    expect((res.body as { refusal: unknown }).refusal).to.deep.equal({
      status: 400,
      message: 'errors.badRequest',
    });
    expect(saves).to.have.length(1);
    expect((await Promise.allSettled(saves))[0]!.status).to.equal('rejected');
    expect(filesOnDisk()).to.equal(0);
  });

  it('a form without a file leaves neither an upload nor a refusal: the route asks for one', async () => {
    const res = await request(app).post('/upload').field('title', 'x');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ upload: null, refusal: null, body: { title: 'x' } });
  });

  it('a store that fails (a full disk) is a server error, not blamed on the sender', async () => {
    const full: FileStore = {
      ...store,
      save: () =>
        Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })),
    };
    const res = await request(appWith(full)).post('/upload').attach('file', PDF, 'one.pdf');
    expect(res.status).to.equal(500);
    expect(res.body).to.deep.equal({ error: 'ENOSPC: no space left on device' });
  });
});
