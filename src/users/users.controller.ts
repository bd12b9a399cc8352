import type { Request, RequestHandler, Response } from 'express';
import type { i18n } from 'i18next';
import type { Mailer } from '../core/mailer.js';
import { AppError } from '../core/app-error.js';
import { parseForm } from '../core/validation.js';
import { hasRole } from '../auth/guards.js';
import { listAuditEvents } from '../audit/audit.service.js';
import { ROLES, type Role } from './user.model.js';
import type { SessionUser } from './users.service.js';
import {
  createUser,
  findUserSummary,
  issueResetToken,
  listUsers,
  setRoles,
  ValidationError,
} from './users.service.js';
import { createUserSchema, rolesSchema } from './users.schemas.js';

/** Coordinators enrol people; only admins hand out coordinator or admin rights. */
function assignableRoles(user: Express.User | undefined): Role[] {
  return hasRole(user, 'admin') ? [...ROLES] : ['member', 'trainer'];
}

function idParam(req: Request): string {
  return typeof req.params.id === 'string' ? req.params.id : '';
}

// A host name, IPv4 or bracketed IPv6 address, and an optional port: nothing that could turn the origin into
// "user@evil.example" or carry a path.
const PLAIN_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Without BASE_URL (development and single-machine use only: config requires it in production and whenever
 * links are mailed), the link is built from the Host header, which the client chose. It is then only shown
 * to the same person whose browser sent that header, so a forged one fools nobody else; a malformed one is
 * refused rather than echoed into a link.
 */
function linkOrigin(req: Request, baseUrl: string | undefined): string {
  if (baseUrl) return baseUrl;
  const host = req.get('host') ?? '';
  if (!PLAIN_HOST.test(host)) throw new AppError(400, 'errors.badRequest');
  return `${req.protocol === 'https' ? 'https' : 'http'}://${host}`;
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

async function renderList(req: Request, res: Response, status = 200, formError?: string): Promise<void> {
  const [users, events] = await Promise.all([listUsers(), listAuditEvents({ targetType: 'user' }, 20)]);
  res.status(status).render('users/list', {
    title: req.t('users.title'),
    users,
    events,
    // Audit lines name people; both the actor and the target are among the listed accounts.
    nameOf: new Map(users.map((u) => [u.id, u.displayName])),
    formError,
    errors: {},
    canChangeRoles: hasRole(req.user, 'admin'),
    // A coordinator gets no reset link for admins or coordinators (the route refuses it too).
    assignable: assignableRoles(req.user),
    allRoles: ROLES,
  });
}

export const list: RequestHandler = (req, res) => renderList(req, res);

export const showNew: RequestHandler = (req, res) => {
  res.render('users/new', {
    title: req.t('users.newTitle'),
    values: {},
    errors: {},
    roles: assignableRoles(req.user),
  });
};

export function create(delivery: LinkDelivery): RequestHandler {
  return async (req, res) => {
    const roles = assignableRoles(req.user);
    const form = parseForm(createUserSchema, req.body);
    const render = (errors: Record<string, string>, values: Record<string, string>) =>
      res.status(422).render('users/new', { title: req.t('users.newTitle'), values, errors, roles });
    if (!form.ok) return render(form.errors, form.values);
    if (form.data.roles.some((r) => !roles.includes(r))) throw AppError.forbidden();
    // Checked before anything is written, so a refused Host header leaves no account without its link.
    const origin = linkOrigin(req, delivery.baseUrl);
    let created;
    try {
      created = await createUser(
        { ...form.data, roles: form.data.roles.length ? form.data.roles : ['member'] },
        req.user!.id,
      );
    } catch (err) {
      if (err instanceof ValidationError)
        return render(
          { [err.field]: err.message },
          { email: form.data.email, displayName: form.data.displayName },
        );
      throw err;
    }
    const token = await issueResetToken(created.id, req.user!.id);
    const link = resetUrl(origin, token);
    const mailed = await mailLink(req, delivery, created, link);
    res
      .status(201)
      .render('users/reset-link', { title: req.t('users.resetLinkTitle'), person: created, link, mailed });
  };
}

export function resetLink(delivery: LinkDelivery): RequestHandler {
  return async (req, res) => {
    const person = await findUserSummary(idParam(req));
    if (!person) throw AppError.notFound();
    // A coordinator must not be able to take over an admin's (or another coordinator's) account.
    if (person.roles.some((r) => !assignableRoles(req.user).includes(r))) throw AppError.forbidden();
    const origin = linkOrigin(req, delivery.baseUrl);
    const token = await issueResetToken(person.id, req.user!.id);
    const link = resetUrl(origin, token);
    const mailed = await mailLink(req, delivery, person, link);
    res.render('users/reset-link', { title: req.t('users.resetLinkTitle'), person, link, mailed });
  };
}

export const changeRoles: RequestHandler = async (req, res) => {
  const form = parseForm(rolesSchema, req.body);
  if (!form.ok) return renderList(req, res, 422, 'validation.role');
  try {
    await setRoles(idParam(req), form.data.roles, req.user!.id);
  } catch (err) {
    if (err instanceof ValidationError) return renderList(req, res, 422, err.message);
    throw err;
  }
  res.redirect(303, '/admin/users');
};
