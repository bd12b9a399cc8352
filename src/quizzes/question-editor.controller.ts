import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../core/app-error.js';
import { localized, type CourseDoc } from '../courses/courses.service.js';
import { QUESTION_TYPES, type LocalText, type QuestionType } from './question.types.js';
import {
  blankDraft,
  draftFromBody,
  draftOf,
  questionFromDraft,
  withSpareRows,
  type DraftErrors,
  type QuestionDraft,
} from './question-form.js';
import { addQuestions, findQuestion, newItemId, updateQuestion } from './questions.service.js';

/** The question editor: one form per question type, with a text per course language, that needs no JavaScript. */

const course = (res: Response) => res.locals.course as CourseDoc;
const bank = (c: CourseDoc) => `/teach/courses/${String(c._id)}/questions`;
const param = (req: Request, name: string) => (typeof req.params[name] === 'string' ? req.params[name] : '');
const field = (req: Request, name: string): unknown =>
  (req.body as Record<string, unknown> | undefined)?.[name];
const typeOf = (v: unknown): QuestionType | undefined => QUESTION_TYPES.find((t) => t === v);

function render(
  req: Request,
  res: Response,
  draft: QuestionDraft,
  action: string,
  errors: DraftErrors = {},
  notice?: string,
) {
  const c = course(res);
  res.render('quizzes/question', {
    title: req.t(action.endsWith('/new') ? 'quizzes.editor.newTitle' : 'quizzes.editor.editTitle', {
      type: req.t(`quizzes.types.${draft.type}`),
    }),
    c,
    draft,
    action,
    errors,
    notice,
    isNew: action.endsWith('/new'),
    text: (t: LocalText | undefined) => localized(t, req.locale, c.primaryLocale),
  });
}

export const showNewQuestion: RequestHandler = (req, res) => {
  const type = typeOf(req.query.type);
  if (!type) throw new AppError(400, 'quizzes.editor.errors.type');
  render(req, res, withSpareRows(blankDraft(type), type === 'matching' ? 3 : 4), `${bank(course(res))}/new`);
};

export const showQuestion: RequestHandler = async (req, res) => {
  const c = course(res);
  const question = await findQuestion(String(c._id), param(req, 'questionId'));
  const notice = req.query.saved === '1' ? 'quizzes.editor.saved' : undefined;
  render(req, res, withSpareRows(draftOf(question)), `${bank(c)}/${String(question._id)}`, {}, notice);
};

/**
 * Saves a new or edited question. "More answers" shows the form again with more empty rows and saves
 * nothing; a mistake shows it again as typed, with status 422.
 */
async function save(req: Request, res: Response, type: QuestionType, questionId: string | null) {
  const c = course(res);
  const action = questionId ? `${bank(c)}/${questionId}` : `${bank(c)}/new`;
  const draft = draftFromBody(req.body, type, c.locales);
  if (field(req, 'more') !== undefined) return render(req, res, withSpareRows(draft, 3), action);
  const checked = questionFromDraft(draft, c.locales, c.primaryLocale, newItemId);
  if (!checked.ok) {
    res.status(422);
    return render(req, res, withSpareRows(draft), action, checked.errors);
  }
  if (questionId) {
    await updateQuestion(String(c._id), questionId, checked.question);
    return res.redirect(303, `${action}?saved=1`);
  }
  const [id] = await addQuestions(String(c._id), [checked.question]);
  res.redirect(303, `${bank(c)}/${id}?saved=1`);
}

export const postNewQuestion: RequestHandler = async (req, res) => {
  const type = typeOf(field(req, 'type'));
  if (!type) throw new AppError(400, 'quizzes.editor.errors.type');
  await save(req, res, type, null);
};

export const postQuestion: RequestHandler = async (req, res) => {
  const c = course(res);
  // The stored type decides which form was filled in, whatever the body claims.
  const question = await findQuestion(String(c._id), param(req, 'questionId'));
  await save(req, res, question.type, String(question._id));
};
