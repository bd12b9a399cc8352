import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import type { UploadLimits } from '../config/config.js';
import { AppError } from '../core/app-error.js';
import type { FileStore } from '../core/file-store.js';
import { Course, type CourseDoc } from './course.model.js';
import { zipFolder } from './module-package-folder.js';
import { readModulePackage } from './module-package-reader.js';

export { exportModule } from './module-package-writer.js';
export { packageTotalBytes } from './module-package-reader.js';

/**
 * Imports a module package (a zip on local disk) into a course as one new module, in a single atomic update,
 * and returns the new module's id. A refused package leaves the course and the file store as they were.
 */
export async function importModulePackage(
  course: Pick<CourseDoc, '_id' | 'primaryLocale' | 'locales' | 'modules'>,
  zipPath: string,
  deps: { files: FileStore; limits: UploadLimits },
): Promise<string> {
  const read = await readModulePackage(zipPath, course, deps);
  const _id = new Types.ObjectId();
  const module = {
    _id,
    title: read.title,
    lessons: read.lessons.map((l) => ({ _id: new Types.ObjectId(), ...l })),
  };
  // Out of range is the nearest end; if modules were added or removed meanwhile, $position copes alike.
  const count = course.modules.length;
  const position = read.order === null ? count : Math.min(Math.max(read.order, 1), count + 1) - 1;
  try {
    const done = await Course.updateOne(
      { _id: course._id },
      { $push: { modules: { $each: [module], $position: position } }, $inc: { rev: 1 } },
    );
    if (done.matchedCount === 0) throw AppError.notFound();
  } catch (err) {
    await Promise.all(read.lessons.flatMap((l) => l.attachments.map((a) => deps.files.remove(a.fileId))));
    throw err;
  }
  return String(_id);
}

/**
 * Imports a module package kept unzipped in a folder. It is zipped into a temporary file first and then
 * imported like an upload, so a folder is held to exactly the rules a trainer's zip is.
 */
export async function importModuleFolder(
  course: Pick<CourseDoc, '_id' | 'primaryLocale' | 'locales' | 'modules'>,
  folder: string,
  deps: { files: FileStore; limits: UploadLimits },
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sabaq-module-'));
  try {
    const zipPath = path.join(dir, 'module.zip');
    await zipFolder(folder, zipPath);
    return await importModulePackage(course, zipPath, deps);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
