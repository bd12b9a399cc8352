import { createWriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/**
 * Zips a module package kept unzipped in a folder (as the demo curriculum is kept in the repository), so
 * that it goes through the very reader an uploaded zip does: the same checks, the same result. Names are
 * written relative to the folder with `/` separators, whatever the operating system.
 */
export async function zipFolder(folder: string, zipPath: string): Promise<void> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const zip = new yazl.ZipFile();
  for (const file of files) zip.addFile(file, path.relative(folder, file).split(path.sep).join('/'));
  zip.end();
  await pipeline(zip.outputStream as unknown as Readable, createWriteStream(zipPath));
}
