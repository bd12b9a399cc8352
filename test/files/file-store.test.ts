/** One suite, run against every FileStore implementation: they must behave the same. */
import { expect } from 'chai';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import mongoose from 'mongoose';
import { AppError } from '../../src/core/app-error.js';
import type { FileStore } from '../../src/core/file-store.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { gridFsFileStore } from '../../src/files/gridfs-file-store.js';
import { connectTestDb } from '../helpers/app-harness.js';

/** A stream that sends `good` bytes and then fails, as a dropped upload does. */
function failingAfter(good: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(good);
      } else this.destroy(new Error('connection reset'));
    },
  });
}

async function statusOf(promise: Promise<unknown>): Promise<number | string> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return err instanceof AppError ? err.status : (err as Error).message;
  }
}

interface Made {
  store: FileStore;
  /** How many files (or GridFS documents) the store holds. */
  leftovers: () => Promise<number>;
  cleanup: () => void;
}

interface Implementation {
  name: string;
  make: () => Promise<Made>;
}

const implementations: Implementation[] = [
  {
    name: 'disk',
    make: () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sabaq-files-'));
      const files = () =>
        readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
      return Promise.resolve({
        store: diskFileStore(dir),
        leftovers: () => Promise.resolve(files()),
        cleanup: () => rmSync(dir, { recursive: true }),
      });
    },
  },
  {
    name: 'GridFS',
    make: async () => {
      await connectTestDb();
      const db = mongoose.connection.db!;
      return {
        store: gridFsFileStore(db),
        leftovers: async () =>
          (await db.collection('uploads.files').countDocuments()) +
          (await db.collection('uploads.chunks').countDocuments()),
        cleanup: () => undefined,
      };
    },
  },
];

for (const impl of implementations) {
  describe(`file store: ${impl.name}`, () => {
    let made: Made;
    let store: FileStore;
    const leftovers = () => made.leftovers();

    beforeEach(async () => {
      made = await impl.make();
      store = made.store;
    });
    afterEach(() => made.cleanup());

    it('keeps a file whole and reports its size and SHA-256', async () => {
      const content = randomBytes(600_000); // several GridFS chunks
      const saved = await store.save(Readable.from([content]), {
        filename: 'slides.pdf',
        contentType: 'application/pdf',
      });
      expect(saved.size).to.equal(content.length);
      expect(saved.sha256).to.equal(createHash('sha256').update(content).digest('hex'));
      expect((await buffer(await store.open(saved.id))).equals(content)).to.equal(true);
    });

    it('reads a byte range, inclusive at both ends, across chunk boundaries', async () => {
      const content = randomBytes(600_000);
      const { id } = await store.save(Readable.from([content]));
      const part = await buffer(await store.open(id, { start: 261_000, end: 262_999 }));
      expect(part.equals(content.subarray(261_000, 263_000))).to.equal(true);
      const last = await buffer(await store.open(id, { start: 599_990, end: 599_999 }));
      expect(last.equals(content.subarray(599_990))).to.equal(true);
    });

    it('an upload that fails part way keeps nothing', async () => {
      expect(await statusOf(store.save(failingAfter(randomBytes(300_000))))).to.equal('connection reset');
      expect(await leftovers()).to.equal(0);
    });

    it('an upload over its size limit is a 413 and keeps nothing', async () => {
      const status = await statusOf(
        store.save(Readable.from([randomBytes(50_000), randomBytes(50_000)]), { maxBytes: 60_000 }),
      );
      expect(status).to.equal(413);
      expect(await leftovers()).to.equal(0);
    });

    it('a removed, unknown or malformed id is a 404; removing twice is fine', async () => {
      const { id } = await store.save(Readable.from([Buffer.from('hello')]));
      await store.remove(id);
      await store.remove(id);
      expect(await statusOf(store.open(id))).to.equal(404);
      for (const bad of ['', '../../etc/passwd', 'x'.repeat(32), '0123456789abcdef01234567'])
        expect(await statusOf(store.open(bad)), bad).to.equal(404);
      expect(await leftovers()).to.equal(0);
    });

    it('two uploads at once get their own ids and both read back', async () => {
      const [a, b] = [randomBytes(200_000), randomBytes(200_000)];
      const [sa, sb] = await Promise.all([store.save(Readable.from([a])), store.save(Readable.from([b]))]);
      expect(sa.id).not.to.equal(sb.id);
      expect((await buffer(await store.open(sa.id))).equals(a)).to.equal(true);
      expect((await buffer(await store.open(sb.id))).equals(b)).to.equal(true);
    });
  });
}
