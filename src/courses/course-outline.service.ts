import { Types } from 'mongoose';
import { idOr404 } from '../core/object-id.js';
import { AppError } from '../core/app-error.js';
import type { FileStore } from '../core/file-store.js';
import type { Locale } from '../core/i18n.js';
import { Course, type AttachmentKind, type CourseDoc } from './course.model.js';
import type { LocalText } from './courses.service.js';

/**
 * A course's outline: modules, their lessons, and lesson attachments, all inside the course document.
 * Additions and removals are single atomic updates; reordering rewrites an array and so is made
 * conditional on the course's `rev`, which every structural change raises, so a reorder never undoes an
 * upload or an edit that happened meanwhile (it retries instead).
 */

const oid = idOr404;

async function mustMatch(result: Promise<{ matchedCount: number }>): Promise<void> {
  if ((await result).matchedCount === 0) throw AppError.notFound();
}

export async function addModule(courseId: string, title: LocalText): Promise<string> {
  const _id = new Types.ObjectId();
  await mustMatch(
    Course.updateOne(
      { _id: oid(courseId) },
      { $push: { modules: { _id, title, lessons: [] } }, $inc: { rev: 1 } },
    ),
  );
  return String(_id);
}

export async function renameModule(courseId: string, moduleId: string, title: LocalText): Promise<void> {
  await mustMatch(
    Course.updateOne(
      { _id: oid(courseId), 'modules._id': oid(moduleId) },
      { $set: { 'modules.$.title': title }, $inc: { rev: 1 } },
    ),
  );
}

/** Deletes a module with its lessons; their files go once nothing refers to them. */
export async function deleteModule(courseId: string, moduleId: string, files: FileStore): Promise<void> {
  const course = await Course.findOneAndUpdate(
    { _id: oid(courseId), 'modules._id': oid(moduleId) },
    { $pull: { modules: { _id: oid(moduleId) } }, $inc: { rev: 1 } },
    { projection: { modules: 1 } },
  ).lean<CourseDoc>();
  if (!course) throw AppError.notFound();
  const gone = course.modules.find((m) => String(m._id) === moduleId);
  await removeUnreferenced(gone?.lessons.flatMap((l) => l.attachments.map((a) => a.fileId)) ?? [], files);
}

export async function addLesson(courseId: string, moduleId: string, title: LocalText): Promise<string> {
  const _id = new Types.ObjectId();
  await mustMatch(
    Course.updateOne(
      { _id: oid(courseId), 'modules._id': oid(moduleId) },
      { $push: { 'modules.$.lessons': { _id, title, body: {}, attachments: [] } }, $inc: { rev: 1 } },
    ),
  );
  return String(_id);
}

const lessonPath = 'modules.$[m].lessons.$[l]';
const lessonFilters = (lessonId: Types.ObjectId) => [{ 'm.lessons._id': lessonId }, { 'l._id': lessonId }];

export async function saveLesson(
  courseId: string,
  lessonId: string,
  lesson: { title: LocalText; body: LocalText },
): Promise<void> {
  const id = oid(lessonId);
  await mustMatch(
    Course.updateOne(
      { _id: oid(courseId), 'modules.lessons._id': id },
      {
        $set: { [`${lessonPath}.title`]: lesson.title, [`${lessonPath}.body`]: lesson.body },
        $inc: { rev: 1 },
      },
      { arrayFilters: lessonFilters(id) },
    ),
  );
}

export async function deleteLesson(courseId: string, lessonId: string, files: FileStore): Promise<void> {
  const id = oid(lessonId);
  const course = await Course.findOneAndUpdate(
    { _id: oid(courseId), 'modules.lessons._id': id },
    { $pull: { 'modules.$[m].lessons': { _id: id } }, $inc: { rev: 1 } },
    { arrayFilters: [{ 'm.lessons._id': id }], projection: { modules: 1 } },
  ).lean<CourseDoc>();
  if (!course) throw AppError.notFound();
  const gone = course.modules.flatMap((m) => m.lessons).find((l) => String(l._id) === lessonId);
  await removeUnreferenced(gone?.attachments.map((a) => a.fileId) ?? [], files);
}

function swap<T>(list: T[], index: number, direction: 'up' | 'down'): T[] | null {
  const other = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || other < 0 || other >= list.length) return null;
  const copy = [...list];
  [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  return copy;
}

/** Moves a module or a lesson one place up or down. A move past either end does nothing. */
export async function move(
  courseId: string,
  what: { moduleId: string } | { lessonId: string },
  direction: 'up' | 'down',
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const course = await Course.findById(oid(courseId), { modules: 1, rev: 1 }).lean<CourseDoc>();
    if (!course) throw AppError.notFound();
    let modules = course.modules;
    if ('moduleId' in what) {
      const index = modules.findIndex((m) => String(m._id) === what.moduleId);
      if (index < 0) throw AppError.notFound();
      const moved = swap(modules, index, direction);
      if (!moved) return;
      modules = moved;
    } else {
      const m = modules.findIndex((mod) => mod.lessons.some((l) => String(l._id) === what.lessonId));
      if (m < 0) throw AppError.notFound();
      const lessons = swap(
        modules[m]!.lessons,
        modules[m]!.lessons.findIndex((l) => String(l._id) === what.lessonId),
        direction,
      );
      if (!lessons) return;
      modules = modules.map((mod, i) => (i === m ? { ...mod, lessons } : mod));
    }
    const done = await Course.updateOne(
      { _id: course._id, rev: course.rev },
      { $set: { modules }, $inc: { rev: 1 } },
    );
    if (done.matchedCount === 1) return;
  }
  throw new AppError(409, 'errors.conflict');
}

export interface NewAttachment {
  fileId: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  kind: AttachmentKind;
  seconds: number | null;
}

/** Adds a stored file to a lesson; if the lesson is gone, the file is removed, so nothing is orphaned. */
export async function addAttachment(
  courseId: string,
  lessonId: string,
  attachment: NewAttachment,
  files: FileStore,
): Promise<void> {
  const id = oid(lessonId);
  try {
    await mustMatch(
      Course.updateOne(
        { _id: oid(courseId), 'modules.lessons._id': id },
        { $push: { [`${lessonPath}.attachments`]: attachment }, $inc: { rev: 1 } },
        { arrayFilters: lessonFilters(id) },
      ),
    );
  } catch (err) {
    await files.remove(attachment.fileId);
    throw err;
  }
}

export async function removeAttachment(
  courseId: string,
  lessonId: string,
  attachmentId: string,
  files: FileStore,
): Promise<void> {
  const id = oid(lessonId);
  const aid = oid(attachmentId);
  // The attachment must be in that lesson: through another lesson's address nothing is removed, a 404.
  const course = await Course.findOneAndUpdate(
    { _id: oid(courseId), 'modules.lessons': { $elemMatch: { _id: id, 'attachments._id': aid } } },
    { $pull: { [`${lessonPath}.attachments`]: { _id: aid } }, $inc: { rev: 1 } },
    { arrayFilters: lessonFilters(id), projection: { modules: 1 } },
  ).lean<CourseDoc>();
  if (!course) throw AppError.notFound();
  const gone = course.modules
    .flatMap((m) => m.lessons.flatMap((l) => l.attachments))
    .find((a) => String(a._id) === attachmentId);
  if (gone) await removeUnreferenced([gone.fileId], files);
}

/**
 * Puts a new file in an attachment's place (same position, same id) and removes the old file once nothing
 * refers to it. The attachment must be in that lesson; otherwise, as on any failure, the new file goes.
 */
export async function replaceAttachment(
  courseId: string,
  lessonId: string,
  attachmentId: string,
  attachment: NewAttachment,
  files: FileStore,
): Promise<void> {
  const lid = oid(lessonId);
  const aid = oid(attachmentId);
  let before: CourseDoc | null;
  try {
    before = await Course.findOneAndUpdate(
      { _id: oid(courseId), 'modules.lessons': { $elemMatch: { _id: lid, 'attachments._id': aid } } },
      { $set: { [`${lessonPath}.attachments.$[a]`]: { ...attachment, _id: aid } }, $inc: { rev: 1 } },
      { arrayFilters: [...lessonFilters(lid), { 'a._id': aid }], projection: { modules: 1 } },
    ).lean<CourseDoc>();
  } catch (err) {
    await files.remove(attachment.fileId);
    throw err;
  }
  if (!before) {
    await files.remove(attachment.fileId);
    throw AppError.notFound();
  }
  const old = before.modules
    .flatMap((m) => m.lessons.flatMap((l) => l.attachments))
    .find((a) => String(a._id) === attachmentId);
  if (old) await removeUnreferenced([old.fileId], files);
}

/** Removes files that no course refers to any more (as an attachment or a cover). */
export async function removeUnreferenced(fileIds: string[], files: FileStore): Promise<void> {
  for (const fileId of new Set(fileIds)) {
    const used = await Course.exists({
      $or: [{ 'modules.lessons.attachments.fileId': fileId }, { 'cover.fileId': fileId }],
    });
    if (!used) await files.remove(fileId);
  }
}

/** Sets or replaces the course's cover image; the old one is removed once nothing refers to it. */
export async function setCover(
  courseId: string,
  cover: { fileId: string; name: string; mime: string; size: number; sha256: string },
  files: FileStore,
): Promise<void> {
  const before = await Course.findOneAndUpdate(
    { _id: oid(courseId) },
    { $set: { cover } },
    { projection: { cover: 1 } },
  ).lean<CourseDoc>();
  if (!before) {
    await files.remove(cover.fileId);
    throw AppError.notFound();
  }
  if (before.cover?.fileId && before.cover.fileId !== cover.fileId)
    await removeUnreferenced([before.cover.fileId], files);
}

export type { Locale };
