import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import { fileTypeStream } from 'file-type';
import multer, { type StorageEngine } from 'multer';
import { AppError } from './app-error.js';
import type { FileStore } from './file-store.js';

/** A file an upload route accepted, as kept in the FileStore. */
export interface UploadedFile {
  id: string;
  size: number;
  sha256: string;
  /** The type read from the content, never the one the browser claimed. */
  mime: string;
  originalName: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    upload?: UploadedFile;
    uploadRefusal?: { status: number; message: string };
  }
}

export interface UploadRule {
  /** The form field holding the file. */
  field: string;
  /** Accepted types (by content) and the extensions each may be named with. */
  kinds: Readonly<Record<string, readonly string[]>>;
  /** The largest upload of any kind (what the form may send at all). */
  maxBytes: number;
  /** A smaller limit for some types (documents, say, against video), known once the type is read. */
  maxBytesFor?: (mime: string) => number;
}

/**
 * A multer storage engine that streams the upload into the FileStore after reading its first bytes: the
 * type comes from the content (file-type) and must be one of the rule's kinds and agree with the file's
 * extension, or nothing is stored.
 */
function fileStoreStorage(store: FileStore, rule: UploadRule): StorageEngine {
  return {
    _handleFile(_req, file, cb) {
      const sniffAndSave = async () => {
        // Office files are zips whose telling entry may come after a large one: look further than the
        // default 4 kB before deciding what the content is.
        const sniffed = await fileTypeStream(file.stream, { sampleSize: 256 * 1024 });
        const type = sniffed.fileType;
        const ext = path.extname(file.originalname).slice(1).toLowerCase();
        const exts = type ? rule.kinds[type.mime] : undefined;
        if (!type || !exts || !exts.includes(ext)) {
          sniffed.resume(); // drain, so the request can end and the error page be sent
          throw new AppError(415, 'errors.fileType');
        }
        const saved = await store.save(sniffed, {
          filename: file.originalname,
          contentType: type.mime,
          maxBytes: rule.maxBytesFor?.(type.mime) ?? rule.maxBytes,
        });
        return { ...saved, mime: type.mime };
      };
      sniffAndSave().then(
        (info) => cb(null, info as unknown as Partial<Express.Multer.File>),
        (err: unknown) => cb(err as Error),
      );
    },
    _removeFile(_req, file, cb) {
      const id = (file as unknown as { id?: string }).id;
      (id ? store.remove(id) : Promise.resolve()).then(
        () => cb(null),
        (err: unknown) => cb(err as Error),
      );
    },
  };
}

/**
 * A multipart body that busboy cannot read (no boundary, cut short, a malformed part header) is the
 * sender's fault: a 400, not a server error. Errors of the store itself (a full disk) are not matched.
 */
export function isMalformedMultipart(err: unknown): boolean {
  return (
    err instanceof Error &&
    !(err instanceof AppError) &&
    !('code' in err && typeof err.code === 'string' && err.code.startsWith('E')) &&
    /boundary|unexpected end of form|malformed part header|multipart|request aborted/i.test(err.message)
  );
}

/**
 * Accepts one file in `rule.field` (and ordinary text fields), leaving it as `req.upload`. A refused file
 * (wrong type, too large, a malformed form) is not an error page: it is left as `req.uploadRefusal`, with a
 * 4xx status and a message key, for the route to show by the field; nothing of it has been kept.
 */
export function uploadOne(store: FileStore, rule: UploadRule): RequestHandler {
  const handler = multer({
    storage: fileStoreStorage(store, rule),
    // Browsers send file names as raw UTF-8; read as latin1 (multer's default) a Dari name is garbled.
    defParamCharset: 'utf8',
    limits: { fileSize: rule.maxBytes, files: 1, fields: 20, fieldSize: 10_000, parts: 25 },
  }).single(rule.field);
  return (req, res, next) => {
    handler(req, res, (err?: unknown) => {
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE';
        req.uploadRefusal = {
          status: tooLarge ? 413 : 400,
          message: tooLarge ? 'errors.tooLarge' : 'errors.badRequest',
        };
      } else if (err instanceof AppError && err.status < 500) {
        req.uploadRefusal = { status: err.status, message: err.message };
      } else if (isMalformedMultipart(err)) {
        req.uploadRefusal = { status: 400, message: 'errors.badRequest' };
      } else if (err) return next(err);
      const file = (req as Request & { file?: Express.Multer.File & UploadedFile }).file;
      if (file && !req.uploadRefusal)
        req.upload = {
          id: file.id,
          size: file.size,
          sha256: file.sha256,
          mime: file.mime,
          originalName: file.originalname,
        };
      next();
    });
  };
}
