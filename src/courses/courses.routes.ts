import { Router, type RequestHandler } from 'express';
import type { UploadLimits } from '../config/config.js';
import { AppError } from '../core/app-error.js';
import { sendStoredFile } from '../core/file-download.js';
import type { FileStore } from '../core/file-store.js';
import { requireAuth, requireRole } from '../core/guards.js';
import { uploadOne } from '../core/upload.js';
import { isEnrolled } from '../progress/progress.service.js';
import * as authoring from './authoring.controller.js';
import { editableCourse } from './course-access.service.js';
import { canEdit, courseOfFile } from './courses.service.js';
import { ATTACHMENT_KINDS_BY_MIME } from './courses.schemas.js';
import * as members from './course-members.controller.js';
import * as learning from './learning.controller.js';
import * as lessons from './lesson-editor.controller.js';
import * as modulePackage from './module-package.controller.js';

const COVER_KINDS = { 'image/png': ['png'], 'image/jpeg': ['jpg', 'jpeg'], 'image/webp': ['webp'] };

/**
 * GET /files/:id: a course file, for those who may see it: its editors, staff, and (once the course is
 * published) enrolled members; a cover, for every signed-in person while the course is published.
 * Anyone else gets the same 404 as for a file that does not exist.
 */
function download(files: FileStore): RequestHandler {
  return async (req, res) => {
    const fileId = typeof req.params.id === 'string' ? req.params.id : '';
    const course = await courseOfFile(fileId);
    if (!course) throw AppError.notFound();
    const attachment = course.modules
      .flatMap((m) => m.lessons.flatMap((l) => l.attachments))
      .find((a) => a.fileId === fileId);
    const file = attachment ?? (course.cover?.fileId === fileId ? course.cover : undefined);
    if (!file) throw AppError.notFound();
    const editor = canEdit(req.user, course);
    const allowed =
      editor ||
      (course.status === 'published' &&
        (!attachment || (await isEnrolled(req.user!.id, String(course._id)))));
    if (!allowed) throw AppError.notFound();
    await sendStoredFile(req, res, files, file);
  };
}

export function coursesRoutes(deps: { files: FileStore; limits: UploadLimits }): Router {
  const { files, limits } = deps;
  const router = Router();

  // Members
  router.get('/courses', requireAuth, learning.showCatalogue);
  const visible = [requireAuth, learning.loadVisibleCourse];
  router.get('/courses/:slug', ...visible, learning.showCourse);
  router.post('/courses/:slug/enrol', ...visible, learning.postEnrol);
  router.post('/courses/:slug/leave', ...visible, learning.postLeave);
  router.get('/courses/:slug/lessons/:lessonId', ...visible, learning.showLesson);
  router.post('/courses/:slug/lessons/:lessonId/complete', ...visible, learning.postComplete);
  router.get('/files/:id', requireAuth, download(files));

  // Trainers (their own courses) and staff (all)
  const teaching: RequestHandler[] = [
    requireRole('trainer', 'coordinator', 'admin'),
    // Upload forms state the limits they will apply.
    (_req, res, next) => {
      res.locals.limits = limits;
      next();
    },
  ];
  router.get('/teach/courses', ...teaching, authoring.list);
  router.get('/teach/courses/new', ...teaching, authoring.showNew);
  router.post('/teach/courses', ...teaching, authoring.create);
  // The limits for upload forms, then the course guard shared with quizzes.
  const editable = [...teaching.slice(1), ...editableCourse()];
  const course = '/teach/courses/:id';
  router.get(course, ...editable, authoring.showEdit);
  router.post(course, ...editable, authoring.saveDetails);
  router.post(`${course}/status`, ...editable, authoring.changeStatus);
  router.post(`${course}/authors`, ...editable, authoring.postAuthor);
  router.post(`${course}/authors/:userId/remove`, ...editable, authoring.deleteAuthor);
  router.post(
    `${course}/cover`,
    ...editable,
    uploadOne(files, { field: 'cover', kinds: COVER_KINDS, maxBytes: limits.image }),
    authoring.postCover(files),
  );
  const staff = requireRole('coordinator', 'admin');
  router.post(`${course}/members`, ...editable, staff, members.postMember);
  router.post(`${course}/members/:userId/remove`, ...editable, staff, members.postRemoveMember);
  router.post(`${course}/modules`, ...editable, authoring.postModule);
  router.post(`${course}/modules/import`, ...editable, modulePackage.postImport({ files, limits }));
  router.post(`${course}/modules/:moduleId`, ...editable, authoring.postRenameModule);
  router.post(`${course}/modules/:moduleId/move`, ...editable, authoring.postMoveModule);
  router.post(`${course}/modules/:moduleId/delete`, ...editable, authoring.postDeleteModule(files));
  router.get(`${course}/modules/:moduleId/export`, ...editable, modulePackage.getExport({ files, limits }));
  router.post(`${course}/modules/:moduleId/lessons`, ...editable, authoring.postLesson);
  const lesson = `${course}/lessons/:lessonId`;
  router.get(lesson, ...editable, lessons.showLesson);
  router.post(lesson, ...editable, lessons.postLessonText);
  router.post(`${lesson}/move`, ...editable, authoring.postMoveLesson);
  router.post(`${lesson}/delete`, ...editable, authoring.postDeleteLesson(files));
  const attachmentUpload = uploadOne(files, {
    field: 'file',
    kinds: Object.fromEntries(Object.entries(ATTACHMENT_KINDS_BY_MIME).map(([mime, k]) => [mime, k.exts])),
    maxBytes: Math.max(limits.document, limits.image, limits.audio, limits.video),
    maxBytesFor: (mime) => limits[ATTACHMENT_KINDS_BY_MIME[mime]?.kind ?? 'document'],
  });
  router.post(`${lesson}/attachments`, ...editable, attachmentUpload, lessons.postAttachment(files));
  router.post(
    `${lesson}/attachments/:attachmentId/replace`,
    ...editable,
    attachmentUpload,
    lessons.postReplaceAttachment(files),
  );
  router.post(`${lesson}/attachments/:attachmentId/delete`, ...editable, lessons.postDeleteAttachment(files));
  return router;
}
