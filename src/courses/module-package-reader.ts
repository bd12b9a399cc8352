import { fileTypeFromBuffer } from 'file-type';
import type { UploadLimits } from '../config/config.js';
import type { FileStore } from '../core/file-store.js';
import type { NewAttachment } from './course-outline.service.js';
import { ATTACHMENT_KINDS_BY_MIME } from './courses.schemas.js';
import type { LocalText } from './courses.service.js';
import { extensionOf, KIND_BY_EXTENSION, planLayout, type LessonFiles } from './module-package-layout.js';
import { lessonText, moduleOrder, moduleTitle, type LessonText, type Target } from './module-package-meta.js';
import { checkedText, mapLinkTargets, normalizeRelative, parseMarkdownFile } from './module-package-text.js';
import { openCheckedZip, packageError, readAll, readHead, type CheckedZip } from './module-package-zip.js';
import { playingSeconds } from './media-length.js';

/**
 * Module packages: one course module as a .zip, the same format for import and export, so that a module
 * moves between two Sabaq servers (docs/module-package.md has the trainer's version).
 *
 *   module.md                  front matter: `title` and `order`; the body is ignored
 *   01-intro.md                a lesson in the course's primary language
 *   01-intro.fa-AF.md          the same lesson in Dari (also `.ps-AF.md`, `.en.md`)
 *   01-intro/handout.pdf       the lesson's files (attachments), one folder per lesson
 *   quizzes/…                  reserved for quizzes: ignored for now
 *
 * - module.md: `title` is a text in the course's primary language, or a map per language
 *   (`title: {en: …, fa-AF: …}`); `title_fa-AF: …` keys are accepted too. `order` is the module's place in
 *   the course, from 1 (absent: last; out of range: the nearest end).
 * - A lesson is every `<name>.md` / `<name>.<language>.md` at the top; lessons come in file-name order
 *   (numbers compared as numbers). Each file's front matter `title` is the title in that file's language;
 *   the rest is the lesson's Markdown in that language. The primary language's file must be there and have
 *   a title; others are optional. The front matter of any of them may list `attachments:` to fix their
 *   order; unlisted files follow in name order.
 * - A lesson's files live in the folder named like the lesson and become its attachments. A Markdown link
 *   or image pointing at one by relative path (`![map](01-intro/map.png)`) becomes `/files/<id>` on import
 *   and the relative path again on export.
 * - A single top-level folder around all of it is allowed (what zipping a folder gives); `__MACOSX/`,
 *   `.DS_Store` and `Thumbs.db` are skipped. Any other file is refused, by name.
 *
 * Nothing is stored until every check that needs no more than a file's first bytes has passed: names,
 * links, counts, sizes and ratios (module-package-zip.ts), layout, every Markdown file, and the type of
 * every file read from its content. Files are then stored one by one; if one fails, those already stored
 * are removed, so an import keeps all of it or nothing.
 */

export const PACKAGE_RULES = {
  maxEntries: 500,
  markdownBytes: 2 ** 20,
  /** All Markdown together: lessons are capped at 100,000 characters, so more is not a real module. */
  markdownTotalBytes: 16 * 2 ** 20,
  ratioFloorBytes: 2 ** 20,
  maxRatio: 100,
};

/** Room for the largest file allowed of any kind and as much again of the rest (1,000 MB by default). */
export function packageTotalBytes(limits: UploadLimits): number {
  return 2 * Math.max(limits.document, limits.image, limits.audio, limits.video);
}

export interface LessonFromPackage {
  title: LocalText;
  body: LocalText;
  attachments: NewAttachment[];
}

export interface ModuleFromPackage {
  title: LocalText;
  /** 1-based, as written; null when the package does not say. */
  order: number | null;
  lessons: LessonFromPackage[];
}

/** The type read from the first bytes, which must be an allowed one and agree with the file's extension. */
async function sniff(zip: CheckedZip, asset: LessonFiles['assets'][number]): Promise<string> {
  const type = await fileTypeFromBuffer(await readHead(zip, asset.entry, 4100));
  const rule = type ? ATTACHMENT_KINDS_BY_MIME[type.mime] : undefined;
  if (!type || !rule || rule.kind !== asset.kind || !rule.exts.includes(extensionOf(asset.name)))
    throw packageError(415, 'fileType', asset.entry.name);
  return type.mime;
}

export async function readModulePackage(
  zipPath: string,
  course: Target,
  deps: { files: FileStore; limits: UploadLimits },
): Promise<ModuleFromPackage> {
  const { files, limits } = deps;
  const zip = await openCheckedZip(zipPath, {
    ...PACKAGE_RULES,
    maxTotalBytes: packageTotalBytes(limits),
    maxBytesOf: (name) => {
      const ext = extensionOf(name);
      if (ext === 'md') return PACKAGE_RULES.markdownBytes;
      const kind = KIND_BY_EXTENSION.get(ext);
      // Anything else is refused or skipped by name later; the total still bounds it.
      return kind ? limits[kind] : packageTotalBytes(limits);
    },
  });
  const stored: string[] = [];
  try {
    const layout = planLayout(zip.entries, course, PACKAGE_RULES.markdownTotalBytes);
    const meta = parseMarkdownFile(await readAll(zip, layout.module), layout.module.name);
    const title = moduleTitle(meta.data, layout.module.name, course);
    const order = moduleOrder(meta.data.order, layout.module.name);
    const texts: LessonText[] = [];
    for (const lesson of layout.lessons) texts.push(await lessonText(zip, lesson, course));
    const mimes = new Map<string, string>();
    for (const asset of layout.lessons.flatMap((l) => l.assets))
      mimes.set(asset.path, await sniff(zip, asset));

    // Every check that can come first has passed: from here on files are stored, and removed on failure.
    const links = new Map<string, string>();
    const lessons: LessonFromPackage[] = [];
    for (const [i, lesson] of layout.lessons.entries()) {
      const { title: lessonTitle, body, order: listed = [] } = texts[i]!;
      const rank = (name: string) => (listed.includes(name) ? listed.indexOf(name) : listed.length);
      const assets = [...lesson.assets].sort((a, b) => rank(a.name) - rank(b.name));
      const attachments: NewAttachment[] = [];
      for (const asset of assets) {
        const mime = mimes.get(asset.path)!;
        const saved = await files.save(await zip.read(asset.entry), {
          maxBytes: limits[asset.kind],
          filename: asset.name,
          contentType: mime,
        });
        stored.push(saved.id);
        const timed = asset.kind === 'audio' || asset.kind === 'video';
        attachments.push({
          fileId: saved.id,
          name: asset.name.slice(0, 200),
          mime,
          size: saved.size,
          sha256: saved.sha256,
          kind: asset.kind,
          seconds: timed ? await playingSeconds(files, saved.id, mime) : null,
        });
        links.set(asset.path, `/files/${saved.id}`);
      }
      lessons.push({ title: lessonTitle, body, attachments });
    }
    const relink = (target: string) => links.get(normalizeRelative(target));
    for (const [i, lesson] of lessons.entries())
      for (const locale of course.locales) {
        // Checked again: `/files/<id>` may be longer than the path it replaces.
        const entry = layout.lessons[i]!.texts.get(locale)?.name ?? '';
        lesson.body[locale] = checkedText(mapLinkTargets(lesson.body[locale] ?? '', relink), 100_000, entry);
      }
    return { title, order, lessons };
  } catch (err) {
    await Promise.all(stored.map((id) => files.remove(id)));
    throw err;
  } finally {
    zip.close();
  }
}
