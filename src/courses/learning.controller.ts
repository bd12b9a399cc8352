import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../core/app-error.js';
import { isLocale, type Locale } from '../core/i18n.js';
import { renderMarkdown } from '../core/markdown.js';
import { pageFromQuery, pageHref } from '../core/pagination.js';
import { completeLesson, enrol, leave, progressIn, visitLesson } from '../progress/progress.service.js';
import { completionRule, quizzesOf } from '../quizzes/quizzes.service.js';
import type { CourseDoc } from './course.model.js';
import {
  allLessons,
  canEdit,
  catalogue,
  findBySlug,
  lessonBytes,
  localized,
  nextLesson,
  textLocale,
  type LocalText,
} from './courses.service.js';
import { knownNotice } from '../core/notices.js';

/**
 * What members see: the catalogue, a course page, its lessons. A course that is not published is, for
 * everyone but its editors, simply not there (404): its existence does not leak.
 */

function slugParam(req: Request): string {
  return typeof req.params.slug === 'string' ? req.params.slug : '';
}

/** Loads the course named in the address into res.locals.course, for members (published) and its editors. */
export const loadVisibleCourse: RequestHandler = async (req, res, next) => {
  const course = await findBySlug(slugParam(req));
  if (!course) throw AppError.notFound();
  const editor = canEdit(req.user, course);
  if (course.status !== 'published' && !editor) throw AppError.notFound();
  res.locals.course = course;
  res.locals.isEditor = editor;
  next();
};

function course(res: Response): CourseDoc {
  return res.locals.course as CourseDoc;
}

/** Texts of a course in the reader's language (or its primary), for views. */
function textFor(req: Request, c: CourseDoc) {
  return (text: LocalText | undefined) => localized(text, req.locale, c.primaryLocale);
}

export const showCatalogue: RequestHandler = async (req, res) => {
  const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
  const lang = isLocale(req.query.lang) ? req.query.lang : undefined;
  const pager = await catalogue({ q, lang, page: pageFromQuery(req.query) });
  res.render('courses/catalogue', {
    title: req.t('courses.catalogueTitle'),
    courses: pager.items,
    pager,
    pageHref: (n: number) => pageHref('/courses', req.query, n),
    q,
    lang: lang ?? '',
    text: (c: CourseDoc, field: 'title' | 'summary') => localized(c[field], req.locale, c.primaryLocale),
  });
};

export const showCourse: RequestHandler = async (req, res) => {
  const c = course(res);
  const [progress, quizzes] = await Promise.all([
    progressIn(req.user!.id, String(c._id)),
    quizzesOf(String(c._id)),
  ]);
  const lessons = allLessons(c);
  const done = lessons.filter(({ lesson }) => progress.completed.has(String(lesson._id))).length;
  const next = nextLesson(c, progress.completed, progress.lastLessonId);
  res.render('courses/course', {
    title: textFor(req, c)(c.title),
    c,
    text: textFor(req, c),
    progress,
    done,
    total: lessons.length,
    next,
    totalBytes: lessons.reduce((n, { lesson }) => n + lessonBytes(lesson), 0),
    quizFor: (kind: string, moduleId?: unknown) =>
      quizzes.find((q) => q.kind === kind && (kind !== 'module' || String(q.moduleId) === String(moduleId))),
    quizResults: progress.quizzes,
    lessonBytes,
    notice: knownNotice(req.query.notice, ['enrolled', 'left', 'complete', 'enrolFirst'], 'courses.notices'),
  });
};

/** Self-enrolment when the course allows it; otherwise staff enrol people (training rounds). */
export const postEnrol: RequestHandler = async (req, res) => {
  const c = course(res);
  if (c.status !== 'published') throw AppError.notFound();
  if (!c.selfEnrol) throw new AppError(403, 'courses.errors.noSelfEnrol');
  await enrol(req.user!.id, String(c._id));
  res.redirect(303, `/courses/${c.slug}?notice=enrolled`);
};

export const postLeave: RequestHandler = async (req, res) => {
  const c = course(res);
  await leave(req.user!.id, String(c._id));
  res.redirect(303, `/courses/${c.slug}?notice=left`);
};

function findLesson(req: Request, c: CourseDoc) {
  const all = allLessons(c);
  const index = all.findIndex(({ lesson }) => String(lesson._id) === req.params.lessonId);
  if (index < 0) throw AppError.notFound();
  return { all, index, found: all[index]! };
}

export const showLesson: RequestHandler = async (req, res) => {
  const c = course(res);
  const { all, index, found } = findLesson(req, c);
  const progress = await progressIn(req.user!.id, String(c._id));
  // A member reads lessons once enrolled; editors may always look.
  if (!progress.enrolled && !res.locals.isEditor)
    return res.redirect(303, `/courses/${c.slug}?notice=enrolFirst`);
  const { lesson, module } = found;
  // The reader's language when the lesson is written in it, else the course's primary language, said so.
  const shownIn: Locale = textLocale(lesson.body, req.locale, c.primaryLocale) ?? c.primaryLocale;
  // Written only when the place changes: reading on, not every reload, costs a write.
  if (progress.enrolled && progress.lastLessonId !== String(lesson._id))
    await visitLesson(req.user!.id, String(c._id), String(lesson._id));
  const text = textFor(req, c);
  res.render('courses/lesson', {
    title: text(lesson.title),
    c,
    text,
    lesson,
    module,
    html: renderMarkdown(lesson.body[shownIn] ?? ''),
    shownIn,
    fallback: shownIn !== req.locale && (lesson.body[shownIn] ?? '').trim() !== '',
    complete: progress.completed.has(String(lesson._id)),
    enrolled: progress.enrolled,
    previous: all[index - 1]?.lesson,
    next: all[index + 1]?.lesson,
    done: all.filter(({ lesson: l }) => progress.completed.has(String(l._id))).length,
    total: all.length,
  });
};

export const postComplete: RequestHandler = async (req, res) => {
  const c = course(res);
  const { all, index, found } = findLesson(req, c);
  const { enrolled, courseComplete } = await completeLesson(
    req.user!.id,
    String(c._id),
    String(found.lesson._id),
    await completionRule(c),
  );
  if (!enrolled) return res.redirect(303, `/courses/${c.slug}?notice=enrolFirst`);
  const next = all[index + 1]?.lesson;
  if (courseComplete) return res.redirect(303, `/courses/${c.slug}?notice=complete`);
  res.redirect(303, next ? `/courses/${c.slug}/lessons/${String(next._id)}` : `/courses/${c.slug}`);
};
