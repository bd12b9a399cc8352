import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import express, { type Express } from 'express';
import request from 'supertest';
import { AppError } from '../../src/core/app-error.js';
import { contentDisposition, sendStoredFile, type Downloadable } from '../../src/core/file-download.js';
import type { ByteRange, FileStore } from '../../src/core/file-store.js';

/** A store in memory that records each read it is asked for. */
function memoryStore(content: Buffer) {
  const opened: (ByteRange | undefined)[] = [];
  const store: FileStore = {
    kind: 'disk',
    save: () => Promise.reject(new Error('not used')),
    open(id: string, range?: ByteRange) {
      if (id !== 'f1') return Promise.reject(AppError.notFound());
      opened.push(range);
      return Promise.resolve(Readable.from([range ? content.subarray(range.start, range.end + 1) : content]));
    },
    remove: () => Promise.resolve(),
  };
  return { store, opened };
}

function appFor(store: FileStore, file: Downloadable): Express {
  const app = express();
  app.get('/file', async (req, res) => sendStoredFile(req, res, store, file));
  return app;
}

const CONTENT = randomBytes(10_000);
const FILE: Downloadable = {
  fileId: 'f1',
  name: 'Handout.pdf',
  mime: 'application/pdf',
  size: CONTENT.length,
  sha256: createHash('sha256').update(CONTENT).digest('hex'),
};
const ETAG = `"${FILE.sha256}"`;

const bytes = (res: request.Response) => Buffer.from(res.body as Buffer);

describe('downloading a stored file', () => {
  describe('byte ranges', () => {
    let app: Express;
    let opened: (ByteRange | undefined)[];
    beforeEach(() => {
      const made = memoryStore(CONTENT);
      opened = made.opened;
      app = appFor(made.store, FILE);
    });

    it('an open-ended range sends from there to the end; a range past the end is cut to the file', async () => {
      const tail = await request(app).get('/file').set('Range', 'bytes=9000-').buffer(true);
      expect(tail.status).to.equal(206);
      expect(tail.headers['content-range']).to.equal('bytes 9000-9999/10000');
      expect(tail.headers['content-length']).to.equal('1000');
      expect(bytes(tail).equals(CONTENT.subarray(9000))).to.equal(true);

      const long = await request(app).get('/file').set('Range', 'bytes=9990-50000').buffer(true);
      expect(long.status).to.equal(206);
      expect(long.headers['content-range']).to.equal('bytes 9990-9999/10000');
      expect(bytes(long).equals(CONTENT.subarray(9990))).to.equal(true);
      expect(opened).to.deep.equal([
        { start: 9000, end: 9999 },
        { start: 9990, end: 9999 },
      ]);
    });

    it('a suffix longer than the file is the whole file as a 206; a suffix of 0 bytes cannot be served (416)', async () => {
      const all = await request(app).get('/file').set('Range', 'bytes=-20000').buffer(true);
      expect(all.status).to.equal(206);
      expect(all.headers['content-range']).to.equal('bytes 0-9999/10000');
      expect(bytes(all).equals(CONTENT)).to.equal(true);
      const none = await request(app).get('/file').set('Range', 'bytes=-0');
      expect(none.status).to.equal(416);
      expect(none.headers['content-range']).to.equal('bytes */10000');
    });

    it('several ranges, or a header that is not a byte range, get the whole file with 200', async () => {
      for (const header of ['bytes=0-9,20-29', 'bytes=-', 'items=0-9', 'bytes=a-b']) {
        const res = await request(app).get('/file').set('Range', header).buffer(true);
        expect(res.status, header).to.equal(200);
        expect(res.headers['content-length'], header).to.equal('10000');
        expect(bytes(res).equals(CONTENT), header).to.equal(true);
      }
    });

    it('If-Range with this file’s tag honours the range; with an older tag or a date it sends the whole file', async () => {
      const same = await request(app)
        .get('/file')
        .set('Range', 'bytes=0-99')
        .set('If-Range', ETAG)
        .buffer(true);
      expect(same.status).to.equal(206);
      expect(bytes(same).equals(CONTENT.subarray(0, 100))).to.equal(true);
      for (const ifRange of ['"0123abcd"', 'Wed, 21 Oct 2015 07:28:00 GMT']) {
        const changed = await request(app)
          .get('/file')
          .set('Range', 'bytes=0-99')
          .set('If-Range', ifRange)
          .buffer(true);
        expect(changed.status, ifRange).to.equal(200);
        expect(bytes(changed).equals(CONTENT), ifRange).to.equal(true);
      }
    });
  });

  describe('what is sent without the content', () => {
    it('HEAD gives the length, type and tag, with no body, and does not read the store', async () => {
      const { store, opened } = memoryStore(CONTENT);
      const res = await request(appFor(store, FILE)).head('/file');
      expect(res.status).to.equal(200);
      expect(res.headers['content-length']).to.equal('10000');
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.headers.etag).to.equal(ETAG);
      expect(opened).to.deep.equal([]);
    });

    it('a revalidation with the current tag is a 304 even with a range, and the store is not read', async () => {
      const { store, opened } = memoryStore(CONTENT);
      const res = await request(appFor(store, FILE))
        .get('/file')
        .set('If-None-Match', ETAG)
        .set('Range', 'bytes=0-99');
      expect(res.status).to.equal(304);
      expect(res.headers.etag).to.equal(ETAG);
      expect(res.headers['cache-control']).to.equal('private, no-cache, no-transform');
      expect(opened).to.deep.equal([]);
    });
  });

  describe('Content-Disposition', () => {
    it('PDFs, PNG/JPEG/WebP pictures, sound and video open in the browser; anything else is saved', async () => {
      const dispositionOf = async (mime: string) => {
        const { store } = memoryStore(CONTENT);
        const res = await request(appFor(store, { ...FILE, mime })).head('/file');
        return String(res.headers['content-disposition']).split(';')[0];
      };
      for (const mime of [
        'application/pdf',
        'image/png',
        'image/jpeg',
        'image/webp',
        'audio/mpeg',
        'video/mp4',
      ])
        expect(await dispositionOf(mime), mime).to.equal('inline');
      // An SVG or HTML file shown inline would run its script on this site.
      for (const mime of ['image/svg+xml', 'text/html', 'application/zip', 'image/gif', 'text/csv'])
        expect(await dispositionOf(mime), mime).to.equal('attachment');
    });

    it('quotes, backslashes, semicolons and line breaks in a name cannot break out of the header', () => {
      const header = contentDisposition('attachment', 'a"b\\c;d\r\nSet-Cookie: x=1.pdf');
      expect(header).to.equal(
        `attachment; filename="a_b_c_d__Set-Cookie: x=1.pdf"; filename*=UTF-8''a%22b%5Cc%3Bd%0D%0ASet-Cookie%3A%20x%3D1.pdf`,
      );
    });
  });
});
