import type { Request, RequestHandler, Response } from 'express';
import { AppError, ValidationError } from '../core/app-error.js';
import { calendarDay } from '../core/dates.js';
import { formAction, type FormState } from '../core/form-action.js';
import { idOr404 } from '../core/object-id.js';
import { pageFromQuery, pageHref } from '../core/pagination.js';
import { hasRole } from '../core/roles.js';
import { formValues, parseForm } from '../core/validation.js';
import { coursesEditableBy, findCourse, localized, type CourseDoc } from '../courses/courses.service.js';
import { quizzesOf } from '../quizzes/quizzes.service.js';
import { activeUsersByEmail, peopleByIds, type PersonRow } from '../users/users.service.js';
import {
  addMembers,
  addTrainer,
  createRound,
  daysPresent,
  findRound,
  linkCourse,
  listRounds,
  removeMember,
  removeTrainer,
  roundDays,
  unlinkCourse,
  updateRound,
  type RoundDoc,
  type RoundWhen,
} from './rounds.service.js';
import { emailsSchema, idSchema, roundSchema } from './rounds.schemas.js';
import { knownNotice } from '../core/notices.js';

/** What the round page's own redirects say was saved. */
const SAVED = ['details', 'members', 'memberRemoved', 'trainers', 'courses', 'attendance'];

/** Turns `:id` into the round (res.locals.round), or a 404 for a malformed or unknown id. */
export const loadRound: RequestHandler = async (req, res, next) => {
  const round = await findRound(String(idOr404(req.params.id)));
  if (!round) throw AppError.notFound();
  res.locals.round = round;
  next();
};

export const roundOf = (res: Response): RoundDoc => res.locals.round as RoundDoc;

/**
 * After loadRound: coordinators and admins, and the trainers of this round (they take attendance in the
 * room and type in the paper pre-test); anyone else gets a 403.
 */
export const staffOrRoundTrainer: RequestHandler = (req, res, next) => {
  const trainsHere = roundOf(res).trainerIds.some((t) => String(t) === req.user?.id);
  if (!hasRole(req.user, 'coordinator', 'admin') && !trainsHere) throw AppError.forbidden();
  next();
};

const WHEN: RoundWhen[] = ['current', 'upcoming', 'past'];

export const list: RequestHandler = async (req, res) => {
  const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
  const when = WHEN.find((w) => w === req.query.when);
  const today = calendarDay(new Date(), res.locals.timeZone as string);
  const pager = await listRounds({ q, when, today }, pageFromQuery(req.query));
  res.render('rounds/list', {
    title: req.t('rounds.title'),
    rounds: pager.items,
    pager,
    pageHref: (n: number) => pageHref('/coord/rounds', req.query, n),
    search: { q, when: when ?? '' },
    whens: WHEN,
    today,
  });
};

function renderForm(req: Request, res: Response, state: FormState): void {
  const round = res.locals.round as RoundDoc | undefined;
  res.render('rounds/form', {
    title: req.t(round ? 'rounds.editTitle' : 'rounds.newTitle'),
    action: round ? `/coord/rounds/${String(round._id)}/edit` : '/coord/rounds',
    ...state,
  });
}

export const showNew: RequestHandler = (req, res) => renderForm(req, res, { values: {}, errors: {} });

export const create = formAction({
  schema: roundSchema,
  render: renderForm,
  run: async (data, req) => `/coord/rounds/${await createRound(data, req.user!.id)}`,
});

export const showEdit: RequestHandler = (req, res) => {
  const r = roundOf(res);
  renderForm(req, res, {
    values: { ...r, partners: r.partners.join('\n'), _id: '', trainerIds: [], memberIds: [], courseIds: [] },
    errors: {},
  } as unknown as FormState);
};

export const update = formAction({
  schema: roundSchema,
  render: renderForm,
  run: async (data, _req, res) => {
    const id = String(roundOf(res)._id);
    await updateRound(id, data);
    return `/coord/rounds/${id}?saved=details`;
  },
});

const byName = (a: PersonRow, b: PersonRow) => a.displayName.localeCompare(b.displayName);

/** The round's members in name order (the grid, the sheet and the round page list them so). */
export async function membersOf(res: Response): Promise<PersonRow[]> {
  const round = roundOf(res);
  const people = await peopleByIds(round.memberIds.map(String));
  return round.memberIds.flatMap((i) => people.get(String(i)) ?? []).sort(byName);
}

async function renderRound(req: Request, res: Response, status = 200, formError?: Record<string, string>) {
  const round = roundOf(res);
  const canManage = hasRole(req.user, 'coordinator', 'admin');
  const [members, trainersById, courses, linkedDocs] = await Promise.all([
    membersOf(res),
    peopleByIds(round.trainerIds.map(String)),
    // Only managers link courses; a round's trainer sees the linked ones whoever wrote them.
    canManage ? coursesEditableBy(req.user!) : Promise.resolve([]),
    Promise.all(round.courseIds.map((id) => findCourse(String(id)))),
  ]);
  const present = daysPresent(round);
  const trainers = [...trainersById.values()].sort(byName);
  const linked = new Set(round.courseIds.map(String));
  const title = (c: Pick<CourseDoc, 'title' | 'primaryLocale' | 'slug'>) =>
    localized(c.title, req.locale, c.primaryLocale) || c.slug;
  const linkedCourses = await Promise.all(
    linkedDocs
      .filter((c): c is CourseDoc => c !== null)
      .map(async (c) => ({
        id: String(c._id),
        title: title(c),
        pretest: (await quizzesOf(String(c._id))).some((q) => q.kind === 'pretest'),
      })),
  );
  res.status(status).render('rounds/show', {
    title: round.name,
    round,
    days: roundDays(round),
    members,
    trainers,
    present,
    linkedCourses,
    linkable: courses
      .filter((c) => c.status === 'published' && !linked.has(c.id))
      .map((c) => ({ id: c.id, title: title(c) })),
    formError: formError ?? {},
    notice: knownNotice(req.query.saved, SAVED, 'rounds.saved'),
    values: formError ? formValues(req.body) : {},
    canManage,
  });
}

export const show: RequestHandler = (req, res) => renderRound(req, res);

/** Finds the active accounts named by email; names the ones not found rather than skipping them. */
async function peopleNamed(emails: string[], field: string) {
  const found = await activeUsersByEmail(emails);
  const missing = emails.filter((e) => !found.has(e));
  if (missing.length)
    throw new ValidationError(field, 'rounds.unknownEmails', 422, { emails: missing.join(', ') });
  return [...found.values()];
}

/** A form on the round page: its error is shown by its own form, with what was typed kept. */
function roundForm(run: (req: Request, res: Response) => Promise<string>): RequestHandler {
  return async (req, res) => {
    try {
      res.redirect(303, await run(req, res));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderRound(req, res, 422, { [err.field]: req.t(err.message, err.params) });
    }
  };
}

const here = (res: Response, saved: string) => `/coord/rounds/${String(roundOf(res)._id)}?saved=${saved}`;

export const postMembers = roundForm(async (req, res) => {
  const form = parseForm(emailsSchema, req.body);
  if (!form.ok) throw new ValidationError('members', form.errors.emails ?? 'validation.required');
  const people = await peopleNamed(form.data.emails, 'members');
  await addMembers(
    String(roundOf(res)._id),
    people.map((p) => p.id),
    req.user!.id,
  );
  return here(res, 'members');
});

export const postRemoveMember: RequestHandler = async (req, res) => {
  const userId = String(idOr404(req.params.userId));
  await removeMember(String(roundOf(res)._id), userId, req.user!.id);
  res.redirect(303, here(res, 'memberRemoved'));
};

export const postTrainer = roundForm(async (req, res) => {
  const form = parseForm(emailsSchema, req.body);
  if (!form.ok) throw new ValidationError('trainers', form.errors.emails ?? 'validation.required');
  const people = await peopleNamed(form.data.emails, 'trainers');
  const notTrainers = people.filter((p) => !hasRole(p, 'trainer'));
  if (notTrainers.length)
    throw new ValidationError('trainers', 'rounds.notTrainers', 422, {
      emails: notTrainers.map((p) => p.email).join(', '),
    });
  for (const p of people) await addTrainer(String(roundOf(res)._id), p.id);
  return here(res, 'trainers');
});

export const postRemoveTrainer: RequestHandler = async (req, res) => {
  await removeTrainer(String(roundOf(res)._id), String(idOr404(req.params.userId)));
  res.redirect(303, here(res, 'trainers'));
};

export const postLinkCourse = roundForm(async (req, res) => {
  const form = parseForm(idSchema, req.body);
  const course = form.ok
    ? (await coursesEditableBy(req.user!)).find((c) => c.id === form.data.id && c.status === 'published')
    : undefined;
  if (!course) throw new ValidationError('courses', 'rounds.unknownCourse');
  await linkCourse(String(roundOf(res)._id), course.id);
  return here(res, 'courses');
});

export const postUnlinkCourse: RequestHandler = async (req, res) => {
  await unlinkCourse(String(roundOf(res)._id), String(idOr404(req.params.courseId)));
  res.redirect(303, here(res, 'courses'));
};
