import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../core/app-error.js';
import type { FileStore } from '../core/file-store.js';
import { formAction, type FormState } from '../core/form-action.js';
import { renderMarkdown } from '../core/markdown.js';
import type { UploadedFile } from '../core/upload.js';
import { base, course, param, requireTitle } from './authoring.controller.js';
import type { CourseDoc, LessonDoc } from './course.model.js';
import {
  addAttachment,
  removeAttachment,
  replaceAttachment,
  saveLesson,
  type NewAttachment,
} from './course-outline.service.js';
import { localized } from './courses.service.js';
import { ATTACHMENT_KINDS_BY_MIME, lessonSchema } from './courses.schemas.js';
import { playingSeconds } from './media-length.js';
import { knownNotice } from '../core/notices.js';

/** A trainer's lesson page: its title and Markdown per language with a preview, and its files. */

/** The lesson in the course, or a 404 (the id may be stale or someone else's). */
function lessonOf(req: Request, res: Response): LessonDoc {
  const lesson = course(res)
    .modules.flatMap((m) => m.lessons)
    .find((l) => String(l._id) === param(req, 'lessonId'));
  if (!lesson) throw AppError.notFound();
  return lesson;
}

/** A video costs about 2 MB a minute at the quality a phone needs; more wastes members' data. */
export const VIDEO_BYTES_PER_MINUTE = 2 * 1024 * 1024;
export const VIDEO_BYTES_UNKNOWN_LENGTH = 25 * 1024 * 1024;

export function reasonableVideoBytes(seconds: number | null): number {
  return seconds
    ? Math.max(VIDEO_BYTES_PER_MINUTE, Math.ceil((seconds / 60) * VIDEO_BYTES_PER_MINUTE))
    : VIDEO_BYTES_UNKNOWN_LENGTH;
}

function renderLessonEditor(
  req: Request,
  res: Response,
  state?: FormState,
  preview?: Record<string, string>,
) {
  const c = course(res);
  const lesson = lessonOf(req, res);
  res.render('teach/lesson', {
    title: localized(lesson.title, req.locale, c.primaryLocale) || req.t('teach.lessonTitle'),
    c,
    lesson,
    values: state?.values ?? { title: lesson.title, body: lesson.body },
    errors: state?.errors ?? {},
    preview,
    notice: knownNotice(req.query.saved, ['lesson', 'file'], 'teach.saved'),
    uploadError: req.uploadRefusal?.message ?? (res.locals.uploadError as string | undefined),
    reasonableVideoBytes,
    text: (t: Partial<Record<string, string>>) => localized(t, req.locale, c.primaryLocale),
  });
}

export const showLesson: RequestHandler = (req, res) => renderLessonEditor(req, res);

export const postLessonText = formAction({
  schema: lessonSchema,
  render: (req, res, state) => renderLessonEditor(req, res, state),
  run: async (data, req, res) => {
    const c = course(res);
    requireTitle(c, data.title);
    if (data.preview) {
      // Shown, not saved: the trainer sees exactly what members will see.
      const preview = Object.fromEntries(c.locales.map((l) => [l, renderMarkdown(data.body[l] ?? '')]));
      renderLessonEditor(req, res, { values: { title: data.title, body: data.body }, errors: {} }, preview);
      return;
    }
    await saveLesson(String(c._id), param(req, 'lessonId'), { title: data.title, body: data.body });
    return `${base(c)}/lessons/${param(req, 'lessonId')}?saved=lesson`;
  },
});

/** A name of at most 200 characters that keeps its extension. */
function shortName(name: string): string {
  if (name.length <= 200) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return name.slice(0, 200 - ext.length) + ext;
}

/** What an accepted upload becomes on a lesson: its name, type, size, hash and (for media) playing time. */
async function attachmentFrom(upload: UploadedFile, files: FileStore): Promise<NewAttachment> {
  // A phone's voice recording in an MP4 box reads as video; its .m4a name says what it is.
  const kind = /\.m4a$/i.test(upload.originalName) ? 'audio' : ATTACHMENT_KINDS_BY_MIME[upload.mime]!.kind;
  return {
    fileId: upload.id,
    name: shortName(upload.originalName),
    mime: upload.mime,
    size: upload.size,
    sha256: upload.sha256,
    kind,
    seconds:
      kind === 'audio' || kind === 'video' ? await playingSeconds(files, upload.id, upload.mime) : null,
  };
}

/** A lesson file upload (a new one, or one put in the place of another); a refusal re-shows the editor. */
function lessonUpload(
  files: FileStore,
  store: (c: CourseDoc, req: Request, attachment: NewAttachment) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    const c = course(res);
    const upload = req.upload;
    try {
      lessonOf(req, res);
    } catch (err) {
      // The lesson went (another tab deleted it) or is not this course's: its file must not stay behind.
      if (upload) await files.remove(upload.id);
      throw err;
    }
    if (!upload) {
      res.status(req.uploadRefusal?.status ?? 422);
      res.locals.uploadError = req.uploadRefusal?.message ?? 'teach.errors.chooseFile';
      return renderLessonEditor(req, res);
    }
    await store(c, req, await attachmentFrom(upload, files));
    res.redirect(303, `${base(c)}/lessons/${param(req, 'lessonId')}?saved=file#files`);
  };
}

export const postAttachment = (files: FileStore): RequestHandler =>
  lessonUpload(files, (c, req, attachment) =>
    addAttachment(String(c._id), param(req, 'lessonId'), attachment, files),
  );

export const postReplaceAttachment = (files: FileStore): RequestHandler =>
  lessonUpload(files, (c, req, attachment) =>
    replaceAttachment(String(c._id), param(req, 'lessonId'), param(req, 'attachmentId'), attachment, files),
  );

export function postDeleteAttachment(files: FileStore): RequestHandler {
  return async (req, res) => {
    const c = course(res);
    await removeAttachment(String(c._id), param(req, 'lessonId'), param(req, 'attachmentId'), files);
    res.redirect(303, `${base(c)}/lessons/${param(req, 'lessonId')}?saved=file#files`);
  };
}
