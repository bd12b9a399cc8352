import type { Locale } from '../core/i18n.js';
import type { AttachmentKind, CourseDoc } from './course.model.js';
import { ATTACHMENT_KINDS_BY_MIME } from './courses.schemas.js';
import { packageError, type ZipEntry } from './module-package-zip.js';

/**
 * Where each file of a module package belongs, decided from the names alone, before anything is inflated.
 * The format itself is described at the top of module-package-reader.ts.
 */

export interface LessonFiles {
  /** The lesson's file name without language and `.md`: `01-intro`. Also the name of its folder of files. */
  base: string;
  texts: Map<Locale, ZipEntry>;
  /** The lesson's files, in name order, each with its path inside the package (`01-intro/map.png`). */
  assets: { path: string; name: string; entry: ZipEntry; kind: AttachmentKind }[];
}

export interface PackageLayout {
  module: ZipEntry;
  lessons: LessonFiles[];
}

/** The kind each allowed file extension claims; the content must then agree (checked when read). */
export const KIND_BY_EXTENSION: ReadonlyMap<string, AttachmentKind> = new Map(
  Object.values(ATTACHMENT_KINDS_BY_MIME).flatMap((k) => k.exts.map((ext) => [ext, k.kind] as const)),
);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** `01-intro.md`, `01-intro.fa-AF.md` (the language part in any case). */
const LESSON_FILE = /^(.+?)(?:\.(en|fa-af|ps-af))?\.md$/i;
const CANONICAL: Record<string, Locale> = { en: 'en', 'fa-af': 'fa-AF', 'ps-af': 'ps-AF' };
const RESERVED = new Set(['module', 'quizzes']);

export const collator = new Intl.Collator('en', { numeric: true });

/** Files that zip tools add on their own (macOS resource forks, folder thumbnails): never read. */
function isJunk(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return name.startsWith('__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db';
}

/** A package zipped as its folder (`my-module/module.md`, …) is read as if zipped from inside it. */
function commonFolder(files: ZipEntry[]): string {
  if (files.some((f) => f.name === 'module.md')) return '';
  const first = files[0]?.name.split('/')[0] ?? '';
  const wrapped = files.every((f) => f.name.startsWith(`${first}/`));
  return wrapped && files.some((f) => f.name === `${first}/module.md`) ? `${first}/` : '';
}

export function planLayout(
  entries: ZipEntry[],
  course: Pick<CourseDoc, 'primaryLocale' | 'locales'>,
  markdownTotalBytes: number,
): PackageLayout {
  const files = entries.filter((e) => !e.directory && !isJunk(e.name));
  const prefix = commonFolder(files);
  let module: ZipEntry | undefined;
  const lessons = new Map<string, LessonFiles>();
  const folders: { folder: string; name: string; entry: ZipEntry }[] = [];
  let markdownBytes = 0;
  for (const entry of files) {
    const path = entry.name.slice(prefix.length);
    const parts = path.split('/');
    if (parts[0] === 'quizzes' && parts.length > 1) continue; // reserved for quiz files, read by a later version
    if (path.toLowerCase().endsWith('.md')) markdownBytes += entry.size;
    if (path === 'module.md') {
      module = entry;
    } else if (parts.length === 1 && LESSON_FILE.test(path)) {
      const [, base = '', suffix] = LESSON_FILE.exec(path)!;
      if (RESERVED.has(base.toLowerCase())) throw packageError(422, 'unknownEntry', entry.name);
      const locale = suffix ? CANONICAL[suffix.toLowerCase()]! : course.primaryLocale;
      if (!course.locales.includes(locale)) throw packageError(422, 'locale', entry.name);
      const lesson = lessons.get(base) ?? { base, texts: new Map(), assets: [] };
      if (lesson.texts.has(locale)) throw packageError(422, 'duplicate', entry.name);
      lesson.texts.set(locale, entry);
      lessons.set(base, lesson);
    } else if (parts.length === 2) {
      folders.push({ folder: parts[0]!, name: parts[1]!, entry });
    } else {
      throw packageError(422, 'unknownEntry', entry.name);
    }
  }
  if (markdownBytes > markdownTotalBytes) throw packageError(413, 'tooLarge');
  if (!module) throw packageError(422, 'noModule');
  for (const { folder, name, entry } of folders) {
    const lesson = lessons.get(folder);
    if (!lesson) throw packageError(422, 'unknownEntry', entry.name);
    const kind = KIND_BY_EXTENSION.get(extensionOf(name));
    if (!kind) throw packageError(415, 'fileType', entry.name);
    lesson.assets.push({ path: `${folder}/${name}`.normalize('NFC'), name, entry, kind });
  }
  const ordered = [...lessons.values()].sort((a, b) => collator.compare(a.base, b.base));
  for (const lesson of ordered) {
    if (!lesson.texts.has(course.primaryLocale))
      throw packageError(422, 'noPrimary', [...lesson.texts.values()][0]!.name);
    lesson.assets.sort((a, b) => collator.compare(a.name, b.name));
  }
  return { module, lessons: ordered };
}
