import { Transform, type Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../core/app-error.js';

/**
 * An uploaded zip, opened without trusting it. Everything the central directory can tell is judged before a
 * single byte is inflated: names, entry types, encryption, compression method, entry count, declared sizes
 * and compression ratios. Reading an entry then counts the bytes it really inflates to and stops at the
 * declared size, so an entry that lies about its size (a zip bomb) costs no more than it admitted to.
 * Nothing here writes anywhere: names are only ever compared, never used as paths.
 */

export interface ZipRules {
  maxEntries: number;
  maxTotalBytes: number;
  /** The most an entry of this name may inflate to, decided by its name before it is read. */
  maxBytesOf(name: string): number;
  /** An entry larger than this must not inflate to more than `maxRatio` times its compressed size. */
  ratioFloorBytes: number;
  maxRatio: number;
}

export interface ZipEntry {
  /** The name as stored, checked: relative, `/`-separated, no `.` or `..` segment. */
  name: string;
  directory: boolean;
  /** Declared (and, when read, enforced) inflated size. */
  size: number;
  raw: Entry;
}

export interface CheckedZip {
  entries: ZipEntry[];
  /** The entry's inflated bytes; the stream fails with a 422 AppError if they differ from the declared size. */
  read(entry: ZipEntry): Promise<Readable>;
  close(): void;
}

export function packageError(status: number, reason: string, entry?: string): AppError {
  return new AppError(status, `teach.package.${reason}`, entry === undefined ? undefined : { entry });
}

// C0 controls, DEL, and the bidi embedding/override/isolate marks that can make a name read as another.
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHARS = /[\u0000-\u001f\u007f\\\u202a-\u202e\u2066-\u2069]/;

function checkName(name: string): void {
  const bare = name.endsWith('/') ? name.slice(0, -1) : name;
  const bad =
    bare === '' ||
    name.length > 255 ||
    BAD_NAME_CHARS.test(name) ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    bare.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad) throw packageError(422, 'badPath', name);
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Unix mode bits (set by zip tools on Unix and macOS) must say a plain file or folder: no link, no device. */
function checkType(entry: Entry, name: string): void {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) throw packageError(422, 'link', name);
}

function checkEntry(entry: Entry, name: string, rules: ZipRules): void {
  checkName(name);
  checkType(entry, name);
  // Bit 0: traditional encryption; bit 6: strong encryption. Only stored and deflated data is read.
  if ((entry.generalPurposeBitFlag & 0x41) !== 0 || ![0, 8].includes(entry.compressionMethod))
    throw packageError(422, 'unsupported', name);
  if (name.endsWith('/')) {
    if (entry.uncompressedSize !== 0) throw packageError(422, 'corruptEntry', name);
    return;
  }
  if (entry.uncompressedSize > rules.maxBytesOf(name)) throw packageError(413, 'fileTooLarge', name);
  if (
    entry.uncompressedSize > rules.ratioFloorBytes &&
    entry.uncompressedSize > rules.maxRatio * Math.max(entry.compressedSize, 1)
  )
    throw packageError(413, 'bomb', name);
}

/** Counts what an entry really inflates to; past or short of the declared size the stream fails. */
function counted(source: Readable, entry: ZipEntry): Readable {
  let seen = 0;
  const damaged = () => packageError(422, 'corruptEntry', entry.name);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > entry.size ? damaged() : null, chunk);
    },
    flush(done) {
      done(seen === entry.size ? null : damaged());
    },
  });
  source.on('error', () => counter.destroy(damaged()));
  counter.on('close', () => source.destroy());
  return source.pipe(counter);
}

async function collectEntries(zip: ZipFile, rules: ZipRules): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let iterator: AsyncIterableIterator<Entry>;
  try {
    iterator = zip.eachEntry();
  } catch {
    throw packageError(422, 'corrupt');
  }
  while (true) {
    let next: IteratorResult<Entry>;
    try {
      next = await iterator.next();
    } catch {
      throw packageError(422, 'corrupt');
    }
    if (next.done) break;
    const raw = next.value;
    // With decodeStrings off, yauzl leaves the name to us, so a bad one is reported by name, not as a crash.
    const name = yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, true);
    checkEntry(raw, name, rules);
    // Two names one file system would take for the same file are refused, whichever one would win.
    const key = name.replace(/\/$/, '').normalize('NFC').toLowerCase();
    if (seen.has(key)) throw packageError(422, 'duplicate', name);
    seen.add(key);
    total += raw.uncompressedSize;
    if (total > rules.maxTotalBytes) throw packageError(413, 'tooLarge');
    entries.push({ name, directory: name.endsWith('/'), size: raw.uncompressedSize, raw });
  }
  return entries;
}

export async function openCheckedZip(zipPath: string, rules: ZipRules): Promise<CheckedZip> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
      strictFileNames: true,
    });
  } catch {
    throw packageError(415, 'notZip');
  }
  try {
    if (zip.entryCount > rules.maxEntries) throw packageError(413, 'tooManyEntries');
    const entries = await collectEntries(zip, rules);
    return {
      entries,
      async read(entry) {
        try {
          return counted(await zip.openReadStreamPromise(entry.raw), entry);
        } catch {
          throw packageError(422, 'corruptEntry', entry.name);
        }
      },
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

/** An entry's bytes in memory: for the small text files only (their size was checked beforehand). */
export async function readAll(zip: CheckedZip, entry: ZipEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.read(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first bytes of an entry, enough for file-type to tell what it holds, without inflating the rest. */
export async function readHead(zip: CheckedZip, entry: ZipEntry, bytes: number): Promise<Buffer> {
  const stream = await zip.read(entry);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}
