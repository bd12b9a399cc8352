import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { AppError } from '../core/app-error.js';
import type { FileStore } from '../core/file-store.js';
import type { AttachmentDoc, CourseDoc, LessonDoc } from './course.model.js';
import { ATTACHMENT_KINDS_BY_MIME } from './courses.schemas.js';
import { extensionOf } from './module-package-layout.js';
import { mapLinkTargets, writeMarkdownFile } from './module-package-text.js';

/**
 * Writes a module as a module package (format: module-package-reader.ts), which the reader takes back as the
 * same module. Every language file carries its language in its name, so a package means the same on a
 * server whose courses have another primary language.
 */

/** Latin letters and digits of a title, for file names that every zip tool and file system keeps. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
}

// What a file system or the reader would refuse in a name: separators, controls, reserved characters.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|\u202a-\u202e\u2066-\u2069]/g;

/** The attachment's own name where it is safe, unique in its folder and ends as its type does. */
function fileName(attachment: AttachmentDoc, taken: Set<string>): string {
  const exts = ATTACHMENT_KINDS_BY_MIME[attachment.mime]?.exts ?? [];
  let name =
    attachment.name
      .replace(UNSAFE, '_')
      .replace(/^[.\s]+/, '')
      .trim() || 'file';
  if (!exts.includes(extensionOf(name)) && exts[0]) name = `${name}.${exts[0]}`;
  const dot = name.lastIndexOf('.');
  const stem = name.slice(0, dot).slice(0, 180);
  const ext = name.slice(dot);
  name = stem + ext;
  for (let n = 2; taken.has(name.normalize('NFC').toLowerCase()); n += 1) name = `${stem}-${n}${ext}`;
  taken.add(name.normalize('NFC').toLowerCase());
  return name;
}

interface LessonPlan {
  lesson: LessonDoc;
  base: string;
  files: { attachment: AttachmentDoc; name: string }[];
}

function plan(course: CourseDoc, lessons: LessonDoc[]): LessonPlan[] {
  const width = Math.max(2, String(lessons.length).length);
  return lessons.map((lesson, i) => {
    const base = `${String(i + 1).padStart(width, '0')}-${slug(lesson.title[course.primaryLocale] ?? '') || 'lesson'}`;
    const taken = new Set<string>();
    return {
      lesson,
      base,
      files: lesson.attachments.map((a) => ({ attachment: a, name: fileName(a, taken) })),
    };
  });
}

export function exportModule(
  course: CourseDoc,
  moduleId: string,
  files: FileStore,
): { filename: string; stream: Readable } {
  const index = course.modules.findIndex((m) => String(m._id) === moduleId);
  const mod = course.modules[index];
  if (!mod) throw AppError.notFound();
  const lessons = plan(course, mod.lessons);
  // Links to this module's files become package paths again; links to anything else stay as they are.
  const paths = new Map<string, string>();
  for (const l of lessons)
    for (const f of l.files)
      if (!paths.has(f.attachment.fileId)) paths.set(f.attachment.fileId, `${l.base}/${f.name}`);
  const relink = (target: string) => paths.get(/^\/files\/([\w-]+)$/.exec(target)?.[1] ?? '');

  const zip = new yazl.ZipFile();
  const output = zip.outputStream as unknown as Readable;
  const fail = (err: unknown) => output.destroy(err instanceof Error ? err : new Error(String(err)));
  zip.on('error', fail);
  const text = (name: string, content: string) => zip.addBuffer(Buffer.from(content, 'utf8'), name);

  const title = Object.fromEntries(course.locales.filter((l) => mod.title[l]).map((l) => [l, mod.title[l]]));
  text('module.md', writeMarkdownFile({ title, order: index + 1 }, ''));
  for (const { lesson, base, files: assets } of lessons) {
    for (const locale of course.locales) {
      const primary = locale === course.primaryLocale;
      const lessonTitle = lesson.title[locale] ?? '';
      const body = mapLinkTargets(lesson.body[locale] ?? '', relink);
      if (!primary && !lessonTitle && !body) continue;
      const data: Record<string, unknown> = lessonTitle ? { title: lessonTitle } : {};
      if (primary && assets.length) data.attachments = assets.map((a) => a.name);
      text(`${base}.${locale}.md`, writeMarkdownFile(data, body));
    }
    for (const { attachment, name } of assets) {
      // Stored as they are: PDFs, pictures and media are compressed already.
      zip.addReadStreamLazy(`${base}/${name}`, { compress: false, size: attachment.size }, (cb) => {
        files.open(attachment.fileId).then((stream) => {
          stream.on('error', fail);
          cb(null, stream);
        }, fail);
      });
    }
  }
  zip.end();
  const moduleSlug = slug(mod.title[course.primaryLocale] ?? '') || `module-${index + 1}`;
  return { filename: `${course.slug}-${moduleSlug}.zip`, stream: output };
}
