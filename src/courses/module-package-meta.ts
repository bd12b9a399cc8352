import type { Locale } from '../core/i18n.js';
import type { CourseDoc } from './course.model.js';
import type { LocalText } from './courses.service.js';
import type { LessonFiles } from './module-package-layout.js';
import { checkedText, parseMarkdownFile, scalarText } from './module-package-text.js';
import { packageError, readAll, type CheckedZip } from './module-package-zip.js';

/** What a module package's Markdown says: the module's titles and place, each lesson's texts. */

export type Target = Pick<CourseDoc, 'primaryLocale' | 'locales'>;

const LOCALES: Record<string, Locale> = { en: 'en', 'fa-af': 'fa-AF', 'ps-af': 'ps-AF' };

export function emptyText(course: Target): LocalText {
  return Object.fromEntries(course.locales.map((l) => [l, '']));
}

export function moduleTitle(data: Record<string, unknown>, entry: string, course: Target): LocalText {
  const title = emptyText(course);
  const seen = new Set<Locale>();
  const set = (key: string, value: unknown) => {
    const locale = LOCALES[key.toLowerCase()];
    const text = scalarText(value, entry);
    if (!locale || seen.has(locale)) throw packageError(422, 'frontMatter', entry);
    seen.add(locale);
    if (!text) return;
    if (!course.locales.includes(locale)) throw packageError(422, 'locale', entry);
    title[locale] = checkedText(text, 200, entry);
  };
  if (data.title !== null && typeof data.title === 'object' && !Array.isArray(data.title))
    for (const [key, value] of Object.entries(data.title)) set(key, value);
  else if (data.title !== undefined) set(course.primaryLocale, data.title);
  for (const [key, value] of Object.entries(data)) if (key.startsWith('title_')) set(key.slice(6), value);
  if (!title[course.primaryLocale]) throw packageError(422, 'moduleTitle', entry);
  return title;
}

export function moduleOrder(value: unknown, entry: string): number | null {
  if (value === undefined || value === null) return null;
  const order = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof order !== 'number' || !Number.isInteger(order)) throw packageError(422, 'frontMatter', entry);
  return order;
}

export interface LessonText {
  title: LocalText;
  body: LocalText;
  /** Attachment names in the order the front matter gives, if it does. */
  order?: string[];
}

export async function lessonText(zip: CheckedZip, lesson: LessonFiles, course: Target): Promise<LessonText> {
  const text: LessonText = { title: emptyText(course), body: emptyText(course) };
  for (const [locale, entry] of lesson.texts) {
    const { data, body } = parseMarkdownFile(await readAll(zip, entry), entry.name);
    text.title[locale] = checkedText(scalarText(data.title, entry.name) ?? '', 200, entry.name);
    text.body[locale] = checkedText(body, 100_000, entry.name);
    if (data.attachments === undefined) continue;
    const list = data.attachments;
    if (!Array.isArray(list) || !list.every((n) => typeof n === 'string') || new Set(list).size < list.length)
      throw packageError(422, 'frontMatter', entry.name);
    if (text.order && JSON.stringify(text.order) !== JSON.stringify(list))
      throw packageError(422, 'frontMatter', entry.name);
    text.order = list;
  }
  if (!text.title[course.primaryLocale])
    throw packageError(422, 'lessonTitle', lesson.texts.get(course.primaryLocale)!.name);
  for (const name of text.order ?? [])
    if (!lesson.assets.some((a) => a.name === name))
      throw packageError(422, 'missingAttachment', `${lesson.base}/${name}`);
  return text;
}
