import type { Readable } from 'node:stream';
import { AppError } from './app-error.js';

/** What a store reports about a file it has just kept. */
export interface StoredFile {
  /** The store's own name for it: random, never derived from what the uploader called it. */
  id: string;
  size: number;
  /** Hex SHA-256 of the content, computed while it was written. */
  sha256: string;
}

export interface SaveOptions {
  /** Kept beside the content where the store can (GridFS); the caller's own record is what counts. */
  filename?: string;
  contentType?: string;
  /** More bytes than this and the save fails with 413, keeping nothing. */
  maxBytes?: number;
}

/** Inclusive byte range, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where uploaded files live: local disk (one machine) or GridFS (several app instances). A save either
 * keeps the whole file or nothing: a failed, interrupted or oversized stream leaves no bytes behind.
 */
export interface FileStore {
  readonly kind: 'disk' | 'gridfs';
  save(content: Readable, options?: SaveOptions): Promise<StoredFile>;
  /** Reads the file (or a byte range of it); a 404 AppError when it is not there. */
  open(id: string, range?: ByteRange): Promise<Readable>;
  /** Removes the file; removing one that is not there is not an error. */
  remove(id: string): Promise<void>;
}

export function fileTooLarge(): AppError {
  return new AppError(413, 'errors.tooLarge');
}
