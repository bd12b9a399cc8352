import { linkOrigin } from '../core/link-origin.js';
import type { Request, RequestHandler, Response } from 'express';
import type { i18n } from 'i18next';
import type { Mailer } from '../core/mailer.js';
import { AppError, ValidationError } from '../core/app-error.js';
import { formAction, type FormState } from '../core/form-action.js';
import { hasRole, manageableRoles, mayManage, ROLES } from '../core/roles.js';
import { pageFromQuery, pageHref } from '../core/pagination.js';
import { parseForm } from '../core/validation.js';
import { listAuditEvents } from '../audit/audit.service.js';
import { issuePasswordLink } from '../auth/password-link.service.js';
import { keepCurrentSession } from '../core/session-lifetime.js';
import { endSessions, setRoles, setStatus } from '../users/user-access.service.js';
import { allRounds, findRound } from '../rounds/rounds.service.js';
import { listPeople, peopleFacets, type PeopleFilter } from '../users/user-directory.service.js';
import {
  createUser,
  displayNames,
  findUserSummary,
  type SessionUser,
  type UserSummary,
} from '../users/users.service.js';
import { createUserSchema, peopleQuerySchema, rolesSchema, statusSchema } from './people.schemas.js';
import { knownNotice } from '../core/notices.js';

function idParam(req: Request): string {
  return typeof req.params.id === 'string' ? req.params.id : '';
}

function resetUrl(origin: string, token: string): string {
  return new URL(`/reset/${token}`, origin).toString();
}

export interface LinkDelivery {
  baseUrl: string | undefined;
  mailer: Mailer;
  i18n: i18n;
}

/** Mails the link in the person's own language when SMTP is configured; the page shows it either way. */
async function mailLink(
  req: Request,
  delivery: LinkDelivery,
  person: SessionUser,
  link: string,
): Promise<'sent' | 'failed' | undefined> {
  // A mailed link reaches someone other than the person who asked: it must never rest on a Host header.
  if (!delivery.mailer.enabled || !delivery.baseUrl) return undefined;
  const t = delivery.i18n.getFixedT(person.locale);
  try {
    await delivery.mailer.send({
      to: person.email,
      subject: t('mail.resetSubject'),
      text: t('mail.resetBody', { name: person.displayName, link }),
    });
    return 'sent';
  } catch (err) {
    req.log?.warn({ err }, 'password link mail failed');
    return 'failed';
  }
}

/** Issues the link and shows it (and mails it when mail is set up). */
async function showNewLink(
  req: Request,
  res: Response,
  delivery: LinkDelivery,
  person: SessionUser,
  origin: string,
  status = 200,
  note?: string,
): Promise<void> {
  const token = await issuePasswordLink(person.id, req.user!);
  const link = resetUrl(origin, token);
  const mailed = await mailLink(req, delivery, person, link);
  res
    .status(status)
    .render('people/reset-link', { title: req.t('users.resetLinkTitle'), person, link, mailed, note });
}

/** The list's filters from its address; a round is turned into its members by the rounds service. */
async function peopleFilter(req: Request): Promise<{ filter: PeopleFilter; query: Record<string, string> }> {
  const parsed = peopleQuerySchema.safeParse(req.query);
  const query = parsed.success ? parsed.data : {};
  const { round: roundId, ...rest } = query;
  const filter: PeopleFilter = { ...rest };
  if (roundId) filter.ids = ((await findRound(roundId))?.memberIds ?? []).map(String);
  const shown = Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  return { filter, query: shown };
}

async function renderList(req: Request, res: Response, status = 200, formError?: string): Promise<void> {
  const { filter, query } = await peopleFilter(req);
  const [pager, events, facets, rounds] = await Promise.all([
    listPeople(filter, pageFromQuery(req.query)),
    listAuditEvents({ targetType: 'user' }, 20),
    peopleFacets(),
    allRounds(),
  ]);
  res.status(status).render('people/list', {
    title: req.t('users.title'),
    users: pager.items,
    filter: query,
    filtered: Object.keys(query).length > 0,
    facets,
    rounds: rounds.map((r) => ({ id: String(r._id), name: r.name, startDate: r.startDate })),
    pager,
    pageHref: (n: number) => pageHref('/admin/users', query, n),
    events,
    // Audit lines name the people who acted and were acted on, whichever page they are listed on.
    nameOf: await displayNames(events.flatMap((e) => [e.targetId, e.actorId ? String(e.actorId) : ''])),
    formError,
    errors: {},
    canChangeRoles: hasRole(req.user, 'admin'),
    // A coordinator gets no reset link for admins or coordinators (the route refuses it too).
    mayManage: (u: UserSummary) => mayManage(req.user, u),
    allRoles: ROLES,
  });
}

export const list: RequestHandler = (req, res) => renderList(req, res);

function renderNew(req: Request, res: Response, state: FormState): void {
  res.render('people/new', { title: req.t('users.newTitle'), ...state, roles: manageableRoles(req.user) });
}

export const showNew: RequestHandler = (req, res) =>
  renderNew(req, res, { values: { roles: ['member'] }, errors: {} });

export function create(delivery: LinkDelivery): RequestHandler {
  return formAction({
    schema: createUserSchema,
    render: renderNew,
    run: async (data, req, res) => {
      const allowed = manageableRoles(req.user);
      if (data.roles.some((r) => !allowed.includes(r))) throw AppError.forbidden();
      // Checked before anything is written, so a refused Host header leaves no account without its link.
      const origin = linkOrigin(req, delivery.baseUrl);
      const created = await createUser(
        { ...data, roles: data.roles.length ? data.roles : ['member'] },
        req.user!.id,
      );
      await showNewLink(req, res, delivery, created, origin, 201);
    },
  });
}

export async function loadPerson(req: Request): Promise<UserSummary> {
  const person = await findUserSummary(idParam(req));
  if (!person) throw AppError.notFound();
  return person;
}

/** Loads the person and refuses (403) unless the signed-in staff member may manage all of their roles. */
export async function loadManageable(req: Request): Promise<UserSummary> {
  const person = await loadPerson(req);
  if (!mayManage(req.user, person)) throw AppError.forbidden();
  return person;
}

async function renderPerson(req: Request, res: Response, status = 200, formError?: string): Promise<void> {
  const person = (res.locals.person as UserSummary | undefined) ?? (await loadPerson(req));
  const events = await listAuditEvents({ targetType: 'user', targetId: person.id }, 20);
  res.status(status).render('people/show', {
    title: person.displayName,
    person,
    events,
    nameOf: await displayNames(events.map((e) => (e.actorId ? String(e.actorId) : ''))),
    formError,
    notice: knownNotice(req.query.saved, ['sessions', 'status', 'roles', 'details'], 'users.saved'),
    canManage: mayManage(req.user, person),
    canChangeRoles: hasRole(req.user, 'admin'),
    isStaff: hasRole(req.user, 'admin', 'coordinator'),
    isSelf: person.id === req.user!.id,
    allRoles: ROLES,
  });
}

export const show: RequestHandler = (req, res) => renderPerson(req, res);

export function resetLink(delivery: LinkDelivery): RequestHandler {
  return async (req, res) => {
    const person = await loadManageable(req);
    await showNewLink(req, res, delivery, person, linkOrigin(req, delivery.baseUrl));
  };
}

/** Where a form on the list or on a person's page came from: back there afterwards. */
function backTo(req: Request, saved: string): string {
  const from = (req.body as { from?: unknown } | undefined)?.from;
  return from === 'person' ? `/people/${idParam(req)}?saved=${saved}` : '/admin/users';
}

export function changeRoles(delivery: LinkDelivery): RequestHandler {
  return async (req, res) => {
    const form = parseForm(rolesSchema, req.body);
    const fail = (key: string) =>
      form.ok && form.data.from === 'person'
        ? renderPerson(req, res, 422, key)
        : renderList(req, res, 422, key);
    if (!form.ok) return renderList(req, res, 422, 'validation.role');
    const self = idParam(req) === req.user!.id;
    const origin = linkOrigin(req, delivery.baseUrl);
    let change;
    try {
      change = await setRoles(
        idParam(req),
        form.data.roles,
        req.user!.id,
        self ? req.user!.sessionGeneration : undefined,
      );
    } catch (err) {
      if (err instanceof ValidationError) return fail(err.message);
      throw err;
    }
    // An admin who gave themselves another role stays signed in on this device.
    if (change && self) keepCurrentSession(req, change.generation);
    if (change?.passwordReset) {
      const person = await loadPerson(req);
      return showNewLink(req, res, delivery, person, origin, 200, 'users.passwordResetForRoles');
    }
    res.redirect(303, backTo(req, 'roles'));
  };
}

export const changeStatus: RequestHandler = async (req, res) => {
  await loadManageable(req);
  const form = parseForm(statusSchema, req.body);
  if (!form.ok) throw new AppError(400, 'errors.badRequest');
  try {
    await setStatus(idParam(req), form.data.status, req.user!.id);
  } catch (err) {
    if (err instanceof ValidationError) return renderPerson(req, res, 422, err.message);
    throw err;
  }
  res.redirect(303, `/people/${idParam(req)}?saved=status`);
};

export const endPersonSessions: RequestHandler = async (req, res) => {
  const person = await loadManageable(req);
  const self = person.id === req.user!.id;
  const generation = await endSessions(
    person.id,
    req.user!.id,
    self ? req.user!.sessionGeneration : undefined,
  );
  if (generation === null) return res.redirect(303, '/login?notice=sessionEnded');
  if (self) keepCurrentSession(req, generation);
  res.redirect(303, `/people/${person.id}?saved=sessions`);
};
