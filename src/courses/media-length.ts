import type { Readable } from 'node:stream';
import { parseStream } from 'music-metadata';
import type { FileStore } from '../core/file-store.js';

/**
 * Playing time of a stored audio or video file, read from its container, for the data-cost warning;
 * null when the container does not tell.
 */
export async function playingSeconds(files: FileStore, fileId: string, mime: string): Promise<number | null> {
  let stream: Readable | undefined;
  try {
    stream = await files.open(fileId);
    const meta = await parseStream(stream, { mimeType: mime }, { duration: true, skipCovers: true });
    return meta.format.duration ? Math.round(meta.format.duration) : null;
  } catch {
    return null;
  } finally {
    // The parser stops reading once it has the length; the file must not stay open.
    stream?.destroy();
  }
}
