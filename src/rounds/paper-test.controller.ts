import type { Request, RequestHandler, Response } from 'express';
import type { i18n } from 'i18next';
import { AppError } from '../core/app-error.js';
import { formatDay } from '../core/dates.js';
import { formatNumber, isLocale, RTL_LOCALES, type Locale } from '../core/i18n.js';
import { idOr404 } from '../core/object-id.js';
import { renderMarkdown } from '../core/markdown.js';
import {
  findCourse,
  localized,
  textLocale,
  type CourseDoc,
  type LocalText,
} from '../courses/courses.service.js';
import { recordQuizResult, replaceQuizResult } from '../progress/progress.service.js';
import { completionRule, quizzesOf, type QuizDoc } from '../quizzes/quizzes.service.js';
import {
  findPaperForm,
  paperAttempts,
  paperForm,
  recordPaperAnswers,
} from '../quizzes/paper-tests.service.js';
import { getSettings } from '../settings/settings.service.js';
import { peopleByIds } from '../users/users.service.js';
import { optionLetter, paperTestPdf } from './paper-test-pdf.js';
import { membersOf, roundOf } from './rounds.controller.js';

/**
 * The paper pre-test of a course linked to a round: printed once the questions are fixed for the round,
 * then each member's answers typed in by a coordinator and graded like an attempt taken online.
 */

/** The linked course (`:courseId`) and its pre-test, else 404. */
export const loadPretest: RequestHandler = async (req, res, next) => {
  const round = roundOf(res);
  const courseId = String(idOr404(req.params.courseId));
  if (!round.courseIds.some((c) => String(c) === courseId)) throw AppError.notFound();
  const [course, quizzes] = await Promise.all([findCourse(courseId), quizzesOf(courseId)]);
  const quiz = quizzes.find((q) => q.kind === 'pretest');
  if (!course || !quiz) throw AppError.notFound();
  res.locals.course = course;
  res.locals.quiz = quiz;
  next();
};

const courseOf = (res: Response) => res.locals.course as CourseDoc;
const quizOf = (res: Response) => res.locals.quiz as QuizDoc;
const base = (res: Response) =>
  `/coord/rounds/${String(roundOf(res)._id)}/pretest/${String(courseOf(res)._id)}`;

/** The language a paper is printed in: asked for (`?lang=`), else the reader's if the course has it, else the course's. */
function paperLocale(req: Request, course: CourseDoc): Locale {
  const asked = req.query.lang;
  if (isLocale(asked)) return asked;
  return textLocale(course.title, req.locale, course.primaryLocale) ?? course.primaryLocale;
}

export const pretestPdf =
  (i18n: i18n): RequestHandler =>
  async (req, res) => {
    const round = roundOf(res);
    const course = courseOf(res);
    const locale = paperLocale(req, course);
    const t = i18n.getFixedT(locale);
    const [form, settings] = await Promise.all([paperForm(quizOf(res), String(round._id)), getSettings()]);
    const rtl = RTL_LOCALES.has(locale);
    const courseTitle = localized(course.title, locale, course.primaryLocale);
    const doc = paperTestPdf(form, {
      t,
      rtl,
      lang: locale,
      organisation: settings?.organisationName ?? '',
      heading: `${t('quizzes.kinds.pretest')} — ${courseTitle}`,
      subheading: `${round.name} · ${formatDay(round.startDate, locale)}`,
      text: (text: LocalText | undefined) => localized(text, locale, course.primaryLocale),
      num: (n) => formatNumber(n, locale),
    });
    res.type('application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="pretest-${round.startDate}.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    doc.pipe(res);
    doc.end();
  };

/** The members of the round and, for each, the result typed in so far. */
export const showPretest: RequestHandler = async (req, res) => {
  const round = roundOf(res);
  const course = courseOf(res);
  const [form, entered, members] = await Promise.all([
    findPaperForm(quizOf(res)._id, String(round._id)),
    paperAttempts(quizOf(res)._id, String(round._id)),
    membersOf(res),
  ]);
  res.render('rounds/pretest', {
    title: req.t('rounds.paper.title'),
    round,
    courseTitle: localized(course.title, req.locale, course.primaryLocale),
    printed: form !== null,
    questions: form?.questions.length ?? 0,
    members,
    resultOf: (id: string) => entered.get(id),
    base: base(res),
    locales: course.locales ?? [course.primaryLocale],
    notice: req.query.saved === '1' ? 'rounds.paper.saved' : undefined,
  });
};

async function renderEntry(req: Request, res: Response, status = 200, error?: string): Promise<void> {
  const round = roundOf(res);
  const course = courseOf(res);
  const userId = String(idOr404(req.params.userId));
  if (!round.memberIds.some((m) => String(m) === userId)) throw AppError.notFound();
  const form = await findPaperForm(quizOf(res)._id, String(round._id));
  if (!form) return res.redirect(303, base(res));
  const [people, entered] = await Promise.all([
    peopleByIds([userId]),
    paperAttempts(quizOf(res)._id, String(round._id)),
  ]);
  const earlier = entered.get(userId);
  const locale = paperLocale(req, course);
  const text = (t: LocalText | undefined) => localized(t, locale, course.primaryLocale);
  res.status(status).render('rounds/pretest-entry', {
    title: req.t('rounds.paper.enterFor', { name: people.get(userId)?.displayName ?? '' }),
    questions: form.questions,
    answerOf: (id: string) => earlier?.answers[id]?.response,
    earlier,
    t2: text,
    langOf: () => `lang="${locale}" dir="${RTL_LOCALES.has(locale) ? 'rtl' : 'ltr'}"`,
    markdown: (t: LocalText | undefined) => renderMarkdown(text(t)),
    letter: (n: number) => optionLetter(n, RTL_LOCALES.has(locale)),
    action: `${base(res)}/${userId}${isLocale(req.query.lang) ? `?lang=${req.query.lang}` : ''}`,
    back: base(res),
    formError: error,
  });
}

export const showEntry: RequestHandler = (req, res) => renderEntry(req, res);

export const postEntry: RequestHandler = async (req, res) => {
  const round = roundOf(res);
  const course = courseOf(res);
  const quiz = quizOf(res);
  const userId = String(idOr404(req.params.userId));
  if (!round.memberIds.some((m) => String(m) === userId)) throw AppError.notFound();
  const form = await findPaperForm(quiz._id, String(round._id));
  if (!form) return res.redirect(303, base(res));
  const body = req.body as { a?: unknown } | undefined;
  const raw =
    body?.a && typeof body.a === 'object' && !Array.isArray(body.a)
      ? (body.a as Record<string, unknown>)
      : {};
  // The answers were given on the round's first day, whenever they are typed in.
  const takenAt = new Date(`${round.startDate}T00:00:00Z`);
  let entry;
  try {
    entry = await recordPaperAnswers(quiz, form, userId, raw, req.user!.id, takenAt);
  } catch (err) {
    if (err instanceof AppError && err.status === 409) return renderEntry(req, res, 409, err.message);
    throw err;
  }
  const result = {
    quizId: String(quiz._id),
    percent: entry.attempt.percent ?? 0,
    passed: entry.attempt.passed === true,
  };
  const rule = await completionRule(course);
  if (entry.corrected) await replaceQuizResult(userId, String(course._id), result, rule);
  else await recordQuizResult(userId, String(course._id), result, rule);
  res.redirect(303, `${base(res)}?saved=1`);
};
