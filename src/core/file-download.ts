import type { Request, Response } from 'express';
import type { FileStore } from './file-store.js';

export interface Downloadable {
  fileId: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

/** Types a browser shows itself (PDF, pictures, sound, video); anything else is saved as a file. */
const INLINE = /^(application\/pdf|image\/(png|jpeg|webp)|audio\/|video\/)/;

/** A Content-Disposition that keeps a Dari or Pashto file name (RFC 6266 / 5987) and cannot be broken out of. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\;]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Parses a single byte range ("bytes=500-999", "bytes=500-", "bytes=-500"). Several ranges, or nonsense,
 * are answered with the whole file, as RFC 9110 allows; a range past the end is unsatisfiable (null).
 */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  // "5-2" is not a range at all (ignored: the whole file); one that starts past the end cannot be served.
  if (m[1] !== '' && m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size || start > end) return null;
  return { start, end };
}

/**
 * Streams a stored file with what a phone on a dropping connection needs: its length, an ETag (its SHA-256)
 * for revalidation, and HTTP Range for video seeking and resumed downloads (206 with exactly those bytes).
 * Rights must have been checked by the caller.
 */
export async function sendStoredFile(
  req: Request,
  res: Response,
  store: FileStore,
  file: Downloadable,
): Promise<void> {
  const etag = `"${file.sha256}"`;
  // If-None-Match may list several tags, or weak ones; any that names this content counts.
  const known = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  const ifRange = req.headers['if-range'];
  const range =
    ifRange === undefined || ifRange === etag ? byteRange(req.headers.range, file.size) : undefined;
  if (range === null) {
    res.status(416).setHeader('Content-Range', `bytes */${file.size}`).end();
    return;
  }
  // Opened before any header is set: a file missing from the store is a plain 404 page, not a broken
  // "PDF" with this file's validator that a browser would keep.
  const stream =
    req.method === 'HEAD' || known.includes(etag)
      ? undefined
      : await store.open(file.fileId, range ?? undefined);
  res.setHeader('ETag', etag);
  res.setHeader('Accept-Ranges', 'bytes');
  // Revalidated on every use (a cheap 304): a member who left the course, or a course archived, must not
  // keep reading from the cache. no-transform: compressing on the way would break byte ranges.
  res.setHeader('Cache-Control', 'private, no-cache, no-transform');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (known.includes(etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', file.mime);
  res.setHeader(
    'Content-Disposition',
    contentDisposition(INLINE.test(file.mime) ? 'inline' : 'attachment', file.name),
  );
  if (range) {
    res.status(206);
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    res.setHeader('Content-Length', String(range.end - range.start + 1));
  } else {
    res.setHeader('Content-Length', String(file.size));
  }
  if (!stream) {
    res.end();
    return;
  }
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
