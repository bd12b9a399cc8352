import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../core/app-error.js';
import { RTL_LOCALES } from '../core/i18n.js';
import { renderMarkdown } from '../core/markdown.js';
import {
  canEdit,
  courseForReaders,
  findBySlug,
  localized,
  textLocale,
  type CourseDoc,
} from '../courses/courses.service.js';
import { isEnrolled, progressIn, recordQuizResult } from '../progress/progress.service.js';
import {
  attemptsOf,
  isPastDeadline,
  ownAttempt,
  ownAttemptFrame,
  saveAnswer,
  startAttempt,
  submitAttempt,
  type AttemptDoc,
  type Submission,
} from './attempts.service.js';
import { completionRule, findQuiz, quizzesOf, type QuizDoc } from './quizzes.service.js';
import type { LocalText } from './question.types.js';

/** A member takes a quiz: its page, starting, the attempt page, saving, submitting, the result. */

const param = (req: Request, name: string) => (typeof req.params[name] === 'string' ? req.params[name] : '');

/** The course (published, or any for its editors) and its quiz from the address, else 404. */
export const loadQuiz: RequestHandler = async (req, res, next) => {
  const course = await findBySlug(param(req, 'slug'));
  if (!course) throw AppError.notFound();
  const editor = canEdit(req.user, course);
  if (course.status !== 'published' && !editor) throw AppError.notFound();
  const quiz = await findQuiz(String(course._id), param(req, 'quizId'));
  if (!quiz) throw AppError.notFound();
  res.locals.course = course;
  res.locals.quiz = quiz;
  next();
};

const courseOf = (res: Response) => res.locals.course as CourseDoc;
const quizOf = (res: Response) => res.locals.quiz as QuizDoc;
const text = (req: Request, c: Pick<CourseDoc, 'primaryLocale'>) => (t: LocalText | undefined) =>
  localized(t, req.locale, c.primaryLocale);

/**
 * The language and direction of the text shown from a question's texts (the member's language, else the
 * course's main one): a Dari question that starts with "TIP" is still right-to-left.
 */
const langAttributes = (req: Request, c: Pick<CourseDoc, 'primaryLocale'>) => (t: LocalText | undefined) => {
  const shown = textLocale(t, req.locale, c.primaryLocale);
  return shown ? `lang="${shown}" dir="${RTL_LOCALES.has(shown) ? 'rtl' : 'ltr'}"` : 'dir="auto"';
};

/** A quiz's title: its own, or the module's name, or "Pre-test"/"Post-test". */
export function quizTitle(req: Request, c: CourseDoc, quiz: QuizDoc): string {
  const own = text(req, c)(quiz.title);
  if (own) return own;
  if (quiz.kind !== 'module') return req.t(`quizzes.kinds.${quiz.kind}`);
  const module = c.modules.find((m) => String(m._id) === String(quiz.moduleId));
  return req.t('quizzes.moduleQuiz', { module: module ? text(req, c)(module.title) : '' });
}

export const showQuiz: RequestHandler = async (req, res) => {
  const c = courseOf(res);
  const quiz = quizOf(res);
  const [attempts, progress, all] = await Promise.all([
    attemptsOf(quiz._id, req.user!.id),
    progressIn(req.user!.id, String(c._id)),
    quiz.kind === 'posttest' ? quizzesOf(String(c._id)) : Promise.resolve([]),
  ]);
  // Knowledge gain: the post-test's best against the pre-test's first result.
  const pretest = all.find((q) => q.kind === 'pretest');
  const before = pretest ? progress.quizzes.first[String(pretest._id)] : undefined;
  const after = progress.quizzes.best[String(quiz._id)];
  res.render('quizzes/quiz', {
    title: quizTitle(req, c, quiz),
    c,
    quiz,
    attempts,
    open: attempts.find((a) => a.status === 'open'),
    left: quiz.attemptLimit ? Math.max(0, quiz.attemptLimit - attempts.length) : null,
    gain: before !== undefined && after !== undefined ? { before, after } : undefined,
    notice: req.query.notice === 'expired' ? 'quizzes.notices.expired' : undefined,
  });
};

/** Records a counted submission in the member's progress (best result, passed, course completion). */
async function recordResult(sub: Submission, quiz: QuizDoc): Promise<void> {
  if (!sub.counted || sub.attempt.percent === null) return;
  const course = await courseForReaders(String(quiz.courseId));
  if (!course) return;
  await recordQuizResult(
    String(sub.attempt.userId),
    String(course._id),
    { quizId: String(quiz._id), percent: sub.attempt.percent, passed: sub.attempt.passed === true },
    await completionRule(course),
  );
}

export const postStart: RequestHandler = async (req, res) => {
  const c = courseOf(res);
  const quiz = quizOf(res);
  if (!(await isEnrolled(req.user!.id, String(c._id))))
    return res.redirect(303, `/courses/${c.slug}?notice=enrolFirst`);
  const { attempt, expired } = await startAttempt(quiz, req.user!.id);
  if (expired) await recordResult(expired, quiz);
  res.redirect(303, `/attempts/${String(attempt._id)}`);
};

/** The member's attempt with its quiz and course, or 404. */
async function loadAttempt(req: Request): Promise<{ attempt: AttemptDoc; quiz: QuizDoc; course: CourseDoc }> {
  const attempt = await ownAttempt(param(req, 'attemptId'), req.user!.id);
  const course = await courseForReaders(String(attempt.courseId));
  const quiz = course ? await findQuiz(String(course._id), String(attempt.quizId)) : null;
  if (!course || !quiz) throw AppError.notFound();
  return { attempt, quiz, course };
}

/** An attempt whose time ran out is closed with what arrived in time before anything else is shown. */
async function closeIfExpired(a: { attempt: AttemptDoc; quiz: QuizDoc }): Promise<AttemptDoc> {
  if (a.attempt.status !== 'open' || !isPastDeadline(a.attempt, new Date())) return a.attempt;
  const sub = await submitAttempt(a.attempt, `expired:${String(a.attempt._id)}`, undefined, a.quiz.passMark);
  await recordResult(sub, a.quiz);
  return sub.attempt;
}

export const showAttempt: RequestHandler = async (req, res) => {
  const loaded = await loadAttempt(req);
  const attempt = await closeIfExpired(loaded);
  if (attempt.status === 'submitted') return res.redirect(303, `/attempts/${String(attempt._id)}/result`);
  const { quiz, course } = loaded;
  const t = text(req, course);
  res.render('quizzes/attempt', {
    title: quizTitle(req, course, quiz),
    c: course,
    quiz,
    attempt,
    t2: t,
    langOf: langAttributes(req, course),
    markdown: (value: LocalText) => renderMarkdown(t(value)),
    answerOf: (id: string) => attempt.answers[id]?.response,
    // One token per showing of the form: the same form sent twice counts once.
    submitToken: randomBytes(16).toString('base64url'),
    now: Date.now(),
    notice: req.query.saved === '1' ? 'quizzes.notices.saved' : undefined,
  });
};

/** Autosave from the browser: JSON {questionId, value, seq}; answers with where the answer now is. */
export const postAnswer: RequestHandler = async (req, res) => {
  // The hot path of a quiz: the attempt's fixed frame (from memory once seen), one conditional update.
  const attempt = await ownAttemptFrame(param(req, 'attemptId'), req.user!.id);
  const body = (req.body ?? {}) as { questionId?: unknown; value?: unknown; seq?: unknown };
  if (typeof body.questionId !== 'string' || typeof body.seq !== 'number')
    throw new AppError(400, 'errors.badRequest');
  const outcome = await saveAnswer(attempt, body.questionId, body.value, body.seq);
  res.status(outcome === 'late' || outcome === 'submitted' ? 409 : 200).json({
    outcome,
    serverTime: Date.now(),
    deadline: attempt.deadline ? new Date(attempt.deadline).getTime() : null,
  });
};

export const postSubmit: RequestHandler = async (req, res) => {
  const loaded = await loadAttempt(req);
  const body = (req.body ?? {}) as { token?: unknown; a?: unknown; action?: unknown };
  const answers =
    body.a && typeof body.a === 'object' && !Array.isArray(body.a) ? (body.a as Record<string, unknown>) : {};
  const id = String(loaded.attempt._id);
  if (body.action === 'save') {
    // Without JavaScript, "Save" keeps the answers and comes back to the page.
    const seq = Date.now();
    let late = false;
    for (const q of loaded.attempt.questions)
      if (q.id in answers)
        late ||= (await saveAnswer(loaded.attempt, q.id, answers[q.id], seq).catch(() => 'saved')) === 'late';
    return res.redirect(303, late ? `/attempts/${id}/result` : `/attempts/${id}?saved=1`);
  }
  if (typeof body.token !== 'string' || !/^[\w-]{8,64}$/.test(body.token))
    throw new AppError(400, 'errors.badRequest');
  const sub = await submitAttempt(loaded.attempt, body.token, answers, loaded.quiz.passMark);
  await recordResult(sub, loaded.quiz);
  res.redirect(303, `/attempts/${id}/result`);
};

export const showResult: RequestHandler = async (req, res) => {
  const loaded = await loadAttempt(req);
  const attempt = await closeIfExpired(loaded);
  if (attempt.status !== 'submitted') return res.redirect(303, `/attempts/${String(attempt._id)}`);
  const { quiz, course } = loaded;
  const t = text(req, course);
  const reveal =
    quiz.showAnswers === 'afterSubmit' || (quiz.showAnswers === 'afterPass' && attempt.passed === true);
  res.render('quizzes/result', {
    title: quizTitle(req, course, quiz),
    c: course,
    quiz,
    attempt,
    reveal,
    t2: t,
    langOf: langAttributes(req, course),
    markdown: (value: LocalText) => renderMarkdown(t(value)),
    gradeOf: (id: string) => attempt.grades?.find((g) => g.questionId === id),
    answerOf: (id: string) => attempt.answers[id]?.response,
  });
};
