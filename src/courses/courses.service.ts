import { Types } from 'mongoose';
import { idOr404 } from '../core/object-id.js';
import { AppError, isDuplicateKey, ValidationError } from '../core/app-error.js';
import { SUPPORTED_LOCALES, type Locale } from '../core/i18n.js';
import { paginate, type Page } from '../core/pagination.js';
import { hasRole } from '../core/roles.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { findUserByEmail, type SessionUser } from '../users/users.service.js';
import { sharedCache } from '../core/shared-cache.js';
import {
  Course,
  COURSES_CHANGED,
  type CourseDoc,
  type CourseStatus,
  type LessonDoc,
} from './course.model.js';

export type { CourseDoc, CourseStatus } from './course.model.js';
export { COURSE_STATUSES } from './course.model.js';

export type LocalText = Partial<Record<Locale, string>>;

export interface CourseDetails {
  slug: string;
  primaryLocale: Locale;
  locales: Locale[];
  title: LocalText;
  summary: LocalText;
  estimatedHours: number;
  selfEnrol: boolean;
}

/** Staff edit any course; a trainer edits the courses they author or co-author. */
export function canEdit(user: SessionUser | undefined, course: Pick<CourseDoc, 'authors'>): boolean {
  if (!user) return false;
  if (hasRole(user, 'admin', 'coordinator')) return true;
  return hasRole(user, 'trainer') && course.authors.some((a) => String(a) === user.id);
}

const oid = idOr404;

/** Every offered language has a title; the primary language is one of them. */
function checkDetails(d: CourseDetails): void {
  if (!d.locales.includes(d.primaryLocale))
    throw new ValidationError('locales', 'courses.errors.primaryOffered');
  for (const l of d.locales)
    if (!d.title[l]?.trim()) throw new ValidationError(`title`, 'courses.errors.titleEach');
}

function onlyOffered(text: LocalText, locales: Locale[]): LocalText {
  return Object.fromEntries(locales.map((l) => [l, (text[l] ?? '').trim()]));
}

async function audit(
  actor: SessionUser,
  action: string,
  courseId: unknown,
  details?: Record<string, unknown>,
) {
  await recordAuditEvent({
    actorId: actor.id,
    action,
    targetType: 'course',
    targetId: String(courseId),
    details,
  });
}

export async function createCourse(details: CourseDetails, actor: SessionUser): Promise<CourseDoc> {
  checkDetails(details);
  try {
    const course = await Course.create({
      ...details,
      title: onlyOffered(details.title, details.locales),
      summary: onlyOffered(details.summary, details.locales),
      authors: [actor.id],
    });
    await audit(actor, 'course.create', course._id, { slug: details.slug });
    return course.toObject() as CourseDoc;
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError('slug', 'courses.errors.slugTaken');
    throw err;
  }
}

/** Whether any course exists, in any status (the demo loads only into an organisation without courses). */
export async function anyCourseExists(): Promise<boolean> {
  return (await Course.exists({})) !== null;
}

export async function findCourse(id: string): Promise<CourseDoc | null> {
  if (!/^[0-9a-f]{24}$/i.test(String(id))) return null;
  return Course.findById(id).lean<CourseDoc>();
}

/**
 * Courses as members read them, kept in memory: they are read on every course and lesson page and change
 * rarely. Every write to a course drops them here at once and on other instances within a second (see
 * course.model and core/shared-cache). The documents are shared: callers must not change them.
 */
const forReaders = sharedCache<CourseDoc | null>(COURSES_CHANGED);

export async function findBySlug(slug: string): Promise<CourseDoc | null> {
  const key = String(slug);
  if (!/^[a-z0-9-]{1,60}$/.test(key)) return null;
  return forReaders.get(`slug:${key}`, () => Course.findOne({ slug: key }).lean<CourseDoc>());
}

/** Courses by slug, in one read (an import names hundreds); a slug that names none is absent. */
export async function coursesBySlug(slugs: string[]): Promise<Map<string, CourseDoc>> {
  const valid = [...new Set(slugs.map(String))].filter((s) => /^[a-z0-9-]{1,60}$/.test(s));
  if (!valid.length) return new Map();
  const rows = await Course.find({ slug: { $in: valid } }).lean<CourseDoc[]>();
  return new Map(rows.map((c) => [c.slug, c]));
}

export async function updateCourse(id: string, details: CourseDetails, actor: SessionUser): Promise<void> {
  checkDetails(details);
  try {
    const updated = await Course.updateOne(
      { _id: oid(id) },
      {
        $set: {
          ...details,
          title: onlyOffered(details.title, details.locales),
          summary: onlyOffered(details.summary, details.locales),
        },
      },
    );
    if (updated.matchedCount === 0) throw AppError.notFound();
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError('slug', 'courses.errors.slugTaken');
    throw err;
  }
  await audit(actor, 'course.update', id);
}

/** Publishing needs something to read: at least one lesson. Every status change is kept as an audit event. */
export async function setCourseStatus(id: string, status: CourseStatus, actor: SessionUser): Promise<void> {
  const filter: Record<string, unknown> = { _id: oid(id) };
  if (status === 'published') filter['modules.lessons.0'] = { $exists: true };
  const before = await Course.findOneAndUpdate(
    filter,
    { $set: { status } },
    { projection: { status: 1 } },
  ).lean();
  if (!before) {
    if (status === 'published' && (await Course.exists({ _id: oid(id) })))
      throw new ValidationError('status', 'courses.errors.publishEmpty');
    throw AppError.notFound();
  }
  if (before.status !== status) await audit(actor, 'course.status', id, { from: before.status, to: status });
}

/** A co-author must be a trainer; adding one twice changes nothing. */
export async function addAuthor(id: string, email: string, actor: SessionUser): Promise<void> {
  const person = await findUserByEmail(email);
  if (!person || !hasRole(person, 'trainer'))
    throw new ValidationError('email', 'courses.errors.notATrainer');
  const author = new Types.ObjectId(person.id);
  // Matched only when the person is not an author yet: the schema's timestamps make every update count as
  // a modification, so "nothing changed" must show in the match (no event, no new updatedAt).
  const updated = await Course.updateOne(
    { _id: oid(id), authors: { $ne: author } },
    { $push: { authors: author } },
  );
  if (updated.matchedCount === 1) return audit(actor, 'course.authors.add', id, { author: person.id });
  if (!(await Course.exists({ _id: oid(id) }))) throw AppError.notFound();
}

/** The last author stays: a course always has someone who may edit it besides staff. */
export async function removeAuthor(id: string, authorId: string, actor: SessionUser): Promise<void> {
  const author = oid(authorId);
  const updated = await Course.updateOne(
    { _id: oid(id), authors: author, 'authors.1': { $exists: true } },
    { $pull: { authors: author } },
  );
  if (updated.matchedCount === 1) return audit(actor, 'course.authors.remove', id, { author: authorId });
  // Not removed: say why only when it is the last author; removing someone who is no author changes nothing.
  const course = await Course.findById(oid(id), { authors: 1 }).lean<{ authors: Types.ObjectId[] }>();
  if (!course) throw AppError.notFound();
  if (course.authors.length === 1 && course.authors[0]!.equals(author))
    throw new ValidationError('authors', 'courses.errors.lastAuthor');
}

export interface CourseListItem {
  id: string;
  slug: string;
  title: LocalText;
  primaryLocale: Locale;
  status: CourseStatus;
  lessons: number;
  updatedAt: Date | undefined;
}

/** The courses a person may edit: all of them for staff, their own for a trainer. */
export async function coursesEditableBy(user: SessionUser): Promise<CourseListItem[]> {
  const filter = hasRole(user, 'admin', 'coordinator') ? {} : { authors: new Types.ObjectId(user.id) };
  const rows = await Course.find(filter).sort({ updatedAt: -1 }).limit(500).lean<CourseDoc[]>();
  return rows.map((c) => ({
    id: String(c._id),
    slug: c.slug,
    title: c.title,
    primaryLocale: c.primaryLocale,
    status: c.status,
    lessons: c.modules.reduce((n, m) => n + m.lessons.length, 0),
    updatedAt: (c as { updatedAt?: Date }).updatedAt,
  }));
}

/** The text in the reader's language, or else the course's primary language. */
export function localized(text: LocalText | undefined, locale: Locale, primary: Locale): string {
  const shown = textLocale(text, locale, primary);
  return shown ? (text?.[shown] ?? '').trim() : '';
}

/**
 * The language a text is shown in: the reader's, else the course's primary, else any it is written in
 * (a course whose primary language changed after its lessons were written must not go blank).
 */
export function textLocale(text: LocalText | undefined, locale: Locale, primary: Locale): Locale | undefined {
  if (!text) return undefined;
  const has = (l: Locale) => (text[l] ?? '').trim() !== '';
  if (has(locale)) return locale;
  if (has(primary)) return primary;
  return SUPPORTED_LOCALES.find(has);
}

/** The pattern of a search: typed text matched literally, with the Arabic-keyboard letters ي ى ك matching ی ک. */
export function searchPattern(text: string): string {
  return literalPattern(text).replace(/[یيى]/g, '[یيى]').replace(/[کك]/g, '[کك]');
}

/** Escapes text typed in a search box so it is matched literally, never read as a pattern. */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Published courses, searched by title in any language and filtered by language, newest first. */
export async function catalogue(options: {
  q?: string;
  lang?: Locale;
  page: number;
  perPage?: number;
}): Promise<Page<CourseDoc>> {
  const filter: Record<string, unknown> = { status: 'published' };
  const q = options.q?.trim().slice(0, 100);
  if (q) {
    const pattern = { $regex: searchPattern(q), $options: 'i' };
    filter.$or = SUPPORTED_LOCALES.map((l) => ({ [`title.${l}`]: pattern }));
  }
  if (options.lang) filter.locales = options.lang;
  const perPage = options.perPage ?? 20;
  return paginate(
    options.page,
    perPage,
    (skip, limit) =>
      Course.find(filter).sort({ updatedAt: -1, _id: -1 }).skip(skip).limit(limit).lean<CourseDoc[]>(),
    () => Course.countDocuments(filter),
  );
}

/** A course by id as members' pages read it (from memory; see forReaders). */
export async function courseForReaders(id: string): Promise<CourseDoc | null> {
  if (!/^[0-9a-f]{24}$/i.test(String(id))) return null;
  return forReaders.get(`id:${id}`, () => Course.findById(id).lean<CourseDoc>());
}

/** Published courses by id, in the order asked, for a person's home page. */
export async function publishedCourses(ids: string[]): Promise<CourseDoc[]> {
  const valid = ids.filter((i) => /^[0-9a-f]{24}$/i.test(i));
  const rows = await Promise.all(valid.map((i) => courseForReaders(i)));
  return rows.filter((c): c is CourseDoc => c?.status === 'published');
}

/**
 * Where a person goes on: the lesson they last opened if it is not done yet, else the first lesson not
 * done; none when every lesson is complete.
 */
export function nextLesson(
  course: CourseDoc,
  completed: ReadonlySet<string>,
  lastLessonId: string | null,
): LessonDoc | undefined {
  const ids = lessonIds(course);
  const last = lastLessonId === null ? -1 : ids.indexOf(lastLessonId);
  const at = last >= 0 && !completed.has(ids[last]!) ? last : ids.findIndex((i) => !completed.has(i));
  return at >= 0 ? allLessons(course)[at]!.lesson : undefined;
}

/** The course an uploaded file belongs to, as an attachment or as its cover, for a download's rights check. */
export async function courseOfFile(fileId: string): Promise<CourseDoc | null> {
  if (typeof fileId !== 'string' || !/^[\w-]{1,64}$/.test(fileId)) return null;
  return Course.findOne({
    $or: [{ 'modules.lessons.attachments.fileId': fileId }, { 'cover.fileId': fileId }],
  }).lean<CourseDoc>();
}

export function allLessons(course: Pick<CourseDoc, 'modules'>) {
  return course.modules.flatMap((m) => m.lessons.map((l) => ({ module: m, lesson: l })));
}

/**
 * The ids of a course's lessons in order, as text. The home and course pages ask for every course a member
 * follows on every visit; a course document as readers get it is shared and never changed, so its ids are
 * worked out once per document.
 */
const lessonIdsOf = new WeakMap<Pick<CourseDoc, 'modules'>, readonly string[]>();

export function lessonIds(course: Pick<CourseDoc, 'modules'>): readonly string[] {
  let ids = lessonIdsOf.get(course);
  if (!ids) {
    ids = allLessons(course).map(({ lesson }) => String(lesson._id));
    lessonIdsOf.set(course, ids);
  }
  return ids;
}

/** Bytes a member downloads for a lesson's files (the page itself is small by comparison). */
export function lessonBytes(lesson: { attachments: { size: number }[] }): number {
  return lesson.attachments.reduce((n, a) => n + a.size, 0);
}
