import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, ValidationError } from '../core/app-error.js';
import { isLocale } from '../core/i18n.js';
import { pageFromQuery, pageHref } from '../core/pagination.js';
import { formList, parseForm } from '../core/validation.js';
import { localized, type CourseDoc } from '../courses/courses.service.js';
import { toGift } from './formats/gift-export.js';
import type { LocalText, ParseResult } from './question.types.js';
import { allQuestions, deleteQuestion, listQuestions, questionTags } from './questions.service.js';
import {
  createQuiz,
  deleteQuiz,
  findQuizToEdit,
  quizzesOf,
  saveQuizSettings,
  type QuizDoc,
} from './quizzes.service.js';
import { readQuestionText, saveReadQuestions } from './question-import.service.js';
import { SHOW_ANSWERS } from './quiz.model.js';
import { asTyped, settingsSchema } from './quiz-settings-form.js';
import { attemptsAt } from './attempts.service.js';
import { itemAnalysis } from './item-analysis.js';
import { displayNames } from '../users/users.service.js';

/** Trainers' quiz pages: a course's question bank (import, export, delete) and its quizzes' settings. */

const course = (res: Response) => res.locals.course as CourseDoc;
const base = (c: CourseDoc) => `/teach/courses/${String(c._id)}`;
const param = (req: Request, name: string) => (typeof req.params[name] === 'string' ? req.params[name] : '');
const textOf = (req: Request, c: CourseDoc) => (t: LocalText | undefined) =>
  localized(t, req.locale, c.primaryLocale);

async function renderBank(req: Request, res: Response, extra: Record<string, unknown> = {}): Promise<void> {
  const c = course(res);
  const page = await listQuestions(String(c._id), pageFromQuery(req.query));
  res.render('quizzes/bank', {
    title: req.t('quizzes.bank'),
    c,
    questions: page.items,
    pager: page,
    pageHref: (n: number) => pageHref(`${base(c)}/questions`, req.query, n),
    text: textOf(req, c),
    values: { format: 'gift', locale: c.primaryLocale, source: '' },
    errors: {},
    notice: typeof req.query.imported === 'string' ? 'quizzes.notices.imported' : undefined,
    importedCount: Number(req.query.imported) || 0,
    ...extra,
  });
}

export const showBank: RequestHandler = (req, res) => renderBank(req, res);

const importSchema = z.object({
  format: z.enum(['gift', 'aiken'], { message: 'validation.choose' }),
  locale: z.string({ message: 'validation.locale' }).refine(isLocale, { message: 'validation.locale' }),
  source: z.string({ message: 'validation.required' }).max(1_000_000, { message: 'validation.tooLong' }),
  confirm: z.string().max(5).optional(),
});

/**
 * Import in two steps: the first shows each question read and each problem with its line, in the
 * trainer's language; only "Save these questions", with the same text and no problem, stores them, all at once.
 */
export const postImport: RequestHandler = async (req, res) => {
  const c = course(res);
  const form = parseForm(importSchema, req.body);
  if (!form.ok) {
    res.status(422);
    return renderBank(req, res, { values: form.values, errors: form.errors });
  }
  const { format, source, confirm } = form.data;
  const locale = form.data.locale;
  const result: ParseResult = readQuestionText(format, source);
  if (confirm && !result.problems.length) {
    const { length: count } = await saveReadQuestions(String(c._id), result, locale);
    return res.redirect(303, `${base(c)}/questions?imported=${count}`);
  }
  res.status(result.problems.length ? 422 : 200);
  return renderBank(req, res, { values: { format, locale, source }, preview: result });
};

export const getExport: RequestHandler = async (req, res) => {
  const c = course(res);
  const locale = isLocale(req.query.lang) ? req.query.lang : c.primaryLocale;
  const gift = toGift(await allQuestions(String(c._id)), locale);
  res.type('text/plain; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${c.slug}-questions.gift.txt"`);
  res.send(gift);
};

export const postDeleteQuestion: RequestHandler = async (req, res) => {
  await deleteQuestion(String(course(res)._id), param(req, 'questionId'));
  res.redirect(303, `${base(course(res))}/questions`);
};

const createSchema = z.object({
  kind: z.enum(['module', 'pretest', 'posttest']),
  moduleId: z.string().max(24).optional(),
});

export const postCreateQuiz: RequestHandler = async (req, res) => {
  const c = course(res);
  const form = parseForm(createSchema, req.body);
  if (!form.ok) throw new AppError(400, 'errors.badRequest');
  const { kind, moduleId } = form.data;
  if (kind === 'module' && !c.modules.some((m) => String(m._id) === moduleId)) throw AppError.notFound();
  try {
    const id = await createQuiz(String(c._id), kind, kind === 'module' ? moduleId! : null, {});
    res.redirect(303, `${base(c)}/quizzes/${id}`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const existing = (await quizzesOf(String(c._id))).find(
      (q) => q.kind === kind && (kind !== 'module' || String(q.moduleId) === moduleId),
    );
    res.redirect(303, existing ? `${base(c)}/quizzes/${String(existing._id)}` : base(c));
  }
};

async function loadQuizFor(req: Request, res: Response): Promise<QuizDoc> {
  const quiz = await findQuizToEdit(String(course(res)._id), param(req, 'quizId'));
  if (!quiz) throw AppError.notFound();
  return quiz;
}

async function renderQuiz(req: Request, res: Response, quiz: QuizDoc, errors: Record<string, string> = {}) {
  const c = course(res);
  const [questions, tags, attempts] = await Promise.all([
    allQuestions(String(c._id)),
    questionTags(String(c._id)),
    attemptsAt(quiz._id),
  ]);
  const names = await displayNames(attempts.slice(0, 100).map((a) => String(a.userId)));
  res.render('quizzes/settings', {
    title: req.t('quizzes.settingsTitle'),
    c,
    quiz,
    questions,
    tags,
    errors,
    showAnswersChoices: SHOW_ANSWERS,
    attempts: attempts.slice(0, 100),
    attemptCount: attempts.length,
    nameOf: (id: unknown) => names.get(String(id)) ?? '—',
    items: itemAnalysis(attempts),
    questionById: new Map(questions.map((q) => [String(q._id), q])),
    text: textOf(req, c),
    notice: req.query.saved === '1' ? 'quizzes.notices.settingsSaved' : undefined,
  });
}

export const showQuizSettings: RequestHandler = async (req, res) =>
  renderQuiz(req, res, await loadQuizFor(req, res));

export const postQuizSettings: RequestHandler = async (req, res) => {
  const c = course(res);
  const quiz = await loadQuizFor(req, res);
  const form = parseForm(settingsSchema, req.body);
  if (!form.ok) {
    res.status(422);
    return renderQuiz(req, res, asTyped(quiz, form.values), form.errors);
  }
  const d = form.data;
  const counts = formList(d.drawCount);
  const draws = formList(d.drawTag)
    .map((tag, i) => ({ tag: tag.trim(), count: Number(counts[i]) }))
    .filter((x) => x.tag && Number.isInteger(x.count) && x.count > 0 && x.count <= 100);
  const title = Object.fromEntries(c.locales.map((l) => [l, (d.title?.[l] ?? '').trim()]));
  await saveQuizSettings(String(c._id), String(quiz._id), {
    title,
    passMark: d.passMark,
    timeLimitMinutes: d.timeLimitMinutes,
    attemptLimit: d.attemptLimit,
    shuffleQuestions: d.shuffleQuestions !== undefined,
    shuffleOptions: d.shuffleOptions !== undefined,
    showAnswers: d.showAnswers,
    questionIds: d.questionIds,
    draws,
  });
  res.redirect(303, `${base(c)}/quizzes/${String(quiz._id)}?saved=1`);
};

export const postDeleteQuiz: RequestHandler = async (req, res) => {
  const quiz = await loadQuizFor(req, res);
  await deleteQuiz(String(course(res)._id), String(quiz._id));
  res.redirect(303, `${base(course(res))}#quizzes`);
};
