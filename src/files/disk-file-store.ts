import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../core/app-error.js';
import {
  fileTooLarge,
  type ByteRange,
  type FileStore,
  type SaveOptions,
  type StoredFile,
} from '../core/file-store.js';

const ID = /^[A-Za-z0-9_-]{32}$/;

/**
 * Files on local disk under UPLOADS_DIR, never under public/: `ab/abXXXX…` by a random id. A file is
 * written to `.partial/` and renamed into place only when complete and flushed, so a crash or a refused
 * upload never leaves a half file where a reader could find it.
 */
export function diskFileStore(root: string): FileStore {
  const partialDir = path.join(root, '.partial');
  const pathOf = (id: string) => {
    if (!ID.test(id)) throw AppError.notFound();
    return path.join(root, id.slice(0, 2), id);
  };
  return {
    kind: 'disk',
    async save(content: Readable, options: SaveOptions = {}): Promise<StoredFile> {
      const id = randomBytes(24).toString('base64url');
      const partial = path.join(partialDir, id);
      await mkdir(partialDir, { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (options.maxBytes !== undefined && size > options.maxBytes) return done(fileTooLarge());
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(content, measure, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
        const handle = await open(partial, 'r');
        await handle.sync().finally(() => handle.close());
        await mkdir(path.dirname(pathOf(id)), { recursive: true });
        await rename(partial, pathOf(id));
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      return { id, size, sha256: hash.digest('hex') };
    },
    async open(id: string, range?: ByteRange): Promise<Readable> {
      const file = pathOf(id);
      try {
        await stat(file);
      } catch {
        throw AppError.notFound();
      }
      return createReadStream(file, range ? { start: range.start, end: range.end } : {});
    },
    async remove(id: string): Promise<void> {
      if (!ID.test(id)) return;
      await rm(pathOf(id), { force: true });
    },
  };
}
