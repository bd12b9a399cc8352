import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import { AppError } from '../core/app-error.js';
import {
  fileTooLarge,
  type ByteRange,
  type FileStore,
  type SaveOptions,
  type StoredFile,
} from '../core/file-store.js';

/**
 * Files in MongoDB's GridFS (bucket "uploads"), so that several app instances share them. An upload that
 * fails part way is aborted, which deletes the chunks already written.
 */
export function gridFsFileStore(db: Db): FileStore {
  const bucket = new GridFSBucket(db, { bucketName: 'uploads' });
  const idOf = (id: string) => {
    if (!/^[0-9a-f]{24}$/.test(id)) throw AppError.notFound();
    return new ObjectId(id);
  };
  return {
    kind: 'gridfs',
    async save(content: Readable, options: SaveOptions = {}): Promise<StoredFile> {
      const id = new ObjectId();
      const upload = bucket.openUploadStreamWithId(id, options.filename ?? id.toHexString(), {
        metadata: { contentType: options.contentType ?? 'application/octet-stream' },
      });
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
        await pipeline(content, measure, upload);
      } catch (err) {
        await upload.abort().catch(() => undefined);
        // abort() removes the chunks; a files document exists only if the upload had finished.
        await bucket.delete(id).catch(() => undefined);
        throw err;
      }
      return { id: id.toHexString(), size, sha256: hash.digest('hex') };
    },
    async open(id: string, range?: ByteRange): Promise<Readable> {
      const _id = idOf(id);
      if (!(await bucket.find({ _id }, { limit: 1 }).hasNext())) throw AppError.notFound();
      // GridFS takes an exclusive end.
      return bucket.openDownloadStream(_id, range ? { start: range.start, end: range.end + 1 } : {});
    },
    async remove(id: string): Promise<void> {
      if (!/^[0-9a-f]{24}$/.test(id)) return;
      await bucket.delete(new ObjectId(id)).catch((err: unknown) => {
        // The driver's way of saying there was no such file: already removed is fine.
        if (!(err instanceof Error && /File not found/i.test(err.message))) throw err;
      });
    },
  };
}
