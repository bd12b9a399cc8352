import type { Request, RequestHandler, Response } from 'express';
import { AppError, ValidationError } from '../core/app-error.js';
import type { FileStore } from '../core/file-store.js';
import { formAction, type FormState } from '../core/form-action.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import { parseForm } from '../core/validation.js';
import { pageFromQuery, pageHref } from '../core/pagination.js';
import { hasRole } from '../core/roles.js';
import { membersOf } from '../progress/progress.service.js';
import { quizzesOf } from '../quizzes/quizzes.service.js';
import { displayNames, findSessionUser } from '../users/users.service.js';
import type { CourseDoc } from './course.model.js';
import {
  addLesson,
  addModule,
  deleteLesson,
  deleteModule,
  move,
  renameModule,
  setCover,
} from './course-outline.service.js';
import {
  addAuthor,
  coursesEditableBy,
  createCourse,
  localized,
  removeAuthor,
  setCourseStatus,
  updateCourse,
} from './courses.service.js';
import { authorSchema, courseSchema, moveSchema, statusSchema, titleSchema } from './courses.schemas.js';
import { knownNotice } from '../core/notices.js';

/** Trainers' pages: their courses, one course's details, authors and outline (lessons: lesson-editor). */

export function course(res: Response): CourseDoc {
  return res.locals.course as CourseDoc;
}

export function param(req: Request, name: string): string {
  const v = req.params[name];
  return typeof v === 'string' ? v : '';
}

export const base = (c: CourseDoc) => `/teach/courses/${String(c._id)}`;

export const list: RequestHandler = async (req, res) => {
  res.render('teach/list', {
    title: req.t('teach.title'),
    courses: await coursesEditableBy(req.user!),
    titleOf: (t: Partial<Record<string, string>>, primary: string) =>
      localized(t, req.locale, primary as CourseDoc['primaryLocale']),
  });
};

function renderNew(req: Request, res: Response, state: FormState): void {
  res.render('teach/new', { title: req.t('teach.newTitle'), ...state, allLocales: SUPPORTED_LOCALES });
}

export const showNew: RequestHandler = (req, res) =>
  renderNew(req, res, {
    values: { primaryLocale: req.locale, locales: [req.locale], estimatedHours: '2', selfEnrol: 'on' },
    errors: {},
  });

export const create = formAction({
  schema: courseSchema,
  render: renderNew,
  run: async (data, req) => {
    const c = await createCourse(data, req.user!);
    return `${base(c)}?saved=created`;
  },
});

const SAVED = ['created', 'details', 'status', 'authors', 'outline', 'cover', 'members'];

/** Coordinators and admins enrol people in a course by hand (rounds will do it in bulk). */
const mayEnrolOthers = (req: Request) => hasRole(req.user, 'coordinator', 'admin');

async function courseMembers(req: Request, c: CourseDoc) {
  if (!mayEnrolOthers(req)) return undefined;
  const page = await membersOf(String(c._id), pageFromQuery(req.query));
  const names = await displayNames(page.items.map((m) => m.userId));
  return {
    pager: page,
    items: page.items.map((m) => ({ ...m, name: names.get(m.userId) ?? '—' })),
    pageHref: (n: number) => `${pageHref(base(c), req.query, n)}#members`,
  };
}

/** The course page; `formError` is a message key, or a text already translated (one with parameters). */
export async function renderEdit(
  req: Request,
  res: Response,
  state?: FormState,
  formError?: string | { text: string },
): Promise<void> {
  const c = course(res);
  const [authors, members, quizzes] = await Promise.all([
    Promise.all(c.authors.map((a) => findSessionUser(String(a)))),
    courseMembers(req, c),
    quizzesOf(String(c._id)),
  ]);
  res.render('teach/edit', {
    title: localized(c.title, req.locale, c.primaryLocale),
    c,
    values: state?.values ?? {
      slug: c.slug,
      primaryLocale: c.primaryLocale,
      locales: c.locales,
      title: c.title,
      summary: c.summary,
      estimatedHours: String(c.estimatedHours),
      selfEnrol: c.selfEnrol ? 'on' : '',
    },
    errors: state?.errors ?? {},
    formError,
    notice: knownNotice(req.query.saved, SAVED, 'teach.saved'),
    authors: authors.map((a, i) => a ?? { id: String(c.authors[i]), displayName: '—', email: '' }),
    allLocales: SUPPORTED_LOCALES,
    members,
    quizzes,
    text: (t: Partial<Record<string, string>>) => localized(t, req.locale, c.primaryLocale),
  });
}

export const showEdit: RequestHandler = (req, res) => renderEdit(req, res);

export const saveDetails = formAction({
  schema: courseSchema,
  render: (req, res, state) => renderEdit(req, res, state),
  run: async (data, req, res) => {
    await updateCourse(String(course(res)._id), data, req.user!);
    return `${base(course(res))}?saved=details`;
  },
});

/** A refused small form on the course page (status, authors, outline) shows its message at the top. */
export async function orShowError(req: Request, res: Response, action: () => Promise<string>): Promise<void> {
  try {
    res.redirect(303, await action());
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    res.status(err.status);
    await renderEdit(req, res, undefined, err.message);
  }
}

export const changeStatus: RequestHandler = (req, res) =>
  orShowError(req, res, async () => {
    const form = parseForm(statusSchema, req.body);
    if (!form.ok) throw new AppError(400, 'errors.badRequest');
    await setCourseStatus(String(course(res)._id), form.data.status, req.user!);
    return `${base(course(res))}?saved=status`;
  });

export const postAuthor: RequestHandler = (req, res) =>
  orShowError(req, res, async () => {
    const form = parseForm(authorSchema, req.body);
    if (!form.ok) throw new ValidationError('email', 'validation.required');
    await addAuthor(String(course(res)._id), form.data.email, req.user!);
    return `${base(course(res))}?saved=authors`;
  });

export const deleteAuthor: RequestHandler = (req, res) =>
  orShowError(req, res, async () => {
    await removeAuthor(String(course(res)._id), param(req, 'userId'), req.user!);
    return `${base(course(res))}?saved=authors`;
  });

function titleFrom(req: Request) {
  const form = parseForm(titleSchema, req.body);
  if (!form.ok) throw new ValidationError('title', form.errors.title ?? 'errors.badRequest');
  return form.data.title;
}

/** A module or lesson needs a title in the course's primary language. */
export function requireTitle(c: CourseDoc, title: Partial<Record<string, string>>): void {
  if (!title[c.primaryLocale]?.trim()) throw new ValidationError('title', 'teach.errors.titlePrimary');
}

export const postModule: RequestHandler = (req, res) =>
  orShowError(req, res, async () => {
    const title = titleFrom(req);
    requireTitle(course(res), title);
    await addModule(String(course(res)._id), title);
    return `${base(course(res))}?saved=outline#outline`;
  });

export const postRenameModule: RequestHandler = (req, res) =>
  orShowError(req, res, async () => {
    const title = titleFrom(req);
    requireTitle(course(res), title);
    await renameModule(String(course(res)._id), param(req, 'moduleId'), title);
    return `${base(course(res))}?saved=outline#outline`;
  });

export function postDeleteModule(files: FileStore): RequestHandler {
  return async (req, res) => {
    await deleteModule(String(course(res)._id), param(req, 'moduleId'), files);
    res.redirect(303, `${base(course(res))}?saved=outline#outline`);
  };
}

export const postLesson: RequestHandler = (req, res) =>
  orShowError(req, res, async () => {
    const title = titleFrom(req);
    requireTitle(course(res), title);
    const id = await addLesson(String(course(res)._id), param(req, 'moduleId'), title);
    return `${base(course(res))}/lessons/${id}`;
  });

function direction(req: Request): 'up' | 'down' {
  const form = parseForm(moveSchema, req.body);
  if (!form.ok) throw new AppError(400, 'errors.badRequest');
  return form.data.direction;
}

export const postMoveModule: RequestHandler = async (req, res) => {
  await move(String(course(res)._id), { moduleId: param(req, 'moduleId') }, direction(req));
  res.redirect(303, `${base(course(res))}?saved=outline#module-${param(req, 'moduleId')}`);
};

export const postMoveLesson: RequestHandler = async (req, res) => {
  await move(String(course(res)._id), { lessonId: param(req, 'lessonId') }, direction(req));
  res.redirect(303, `${base(course(res))}?saved=outline#lesson-${param(req, 'lessonId')}`);
};

export function postDeleteLesson(files: FileStore): RequestHandler {
  return async (req, res) => {
    await deleteLesson(String(course(res)._id), param(req, 'lessonId'), files);
    res.redirect(303, `${base(course(res))}?saved=outline#outline`);
  };
}

export function postCover(files: FileStore): RequestHandler {
  return async (req, res) => {
    const c = course(res);
    const upload = req.upload;
    if (!upload) {
      res.status(req.uploadRefusal?.status ?? 422);
      return renderEdit(req, res, undefined, req.uploadRefusal?.message ?? 'validation.chooseImage');
    }
    await setCover(
      String(c._id),
      {
        fileId: upload.id,
        name: upload.originalName.slice(0, 200),
        mime: upload.mime,
        size: upload.size,
        sha256: upload.sha256,
      },
      files,
    );
    res.redirect(303, `${base(c)}?saved=cover`);
  };
}
