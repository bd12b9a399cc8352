import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import { linkOrigin } from '../core/link-origin.js';
import { formAction, type FormState } from '../core/form-action.js';
import { displayNameField, emailField, optionalText, requiredText } from '../core/form-fields.js';
import { pageFromQuery, pageHref } from '../core/pagination.js';
import { hasRole } from '../core/roles.js';
import { formValues, parseForm } from '../core/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { allRounds, findRound } from '../rounds/rounds.service.js';
import { coursesEditableBy, findCourse, localized, type CourseListItem } from '../courses/courses.service.js';
import { certificateIdentities, setCertificateIdentity } from '../users/users.service.js';
import {
  certificatePdf,
  printContext,
  streamCourseZip,
  streamCoursePdf,
  type PrintDeps,
} from './certificate-print.js';
import {
  certificatesOf,
  findCertificate,
  formatCode,
  issueByCoordinator,
  reissueCertificate,
  revokeCertificate,
  type CertificateDoc,
} from './certificates.service.js';
import { searchCertificates } from './certificate-lists.service.js';
import { knownNotice } from '../core/notices.js';

/** Certificates for their holders (list, PDF) and for coordinators (find, issue, revoke, re-issue, print). */

const courseTitle = (req: Request, c: CertificateDoc) =>
  localized(c.snapshot.courseTitle, req.locale, 'en') ||
  Object.values(c.snapshot.courseTitle).find(Boolean) ||
  '';

async function renderMine(req: Request, res: Response, state?: FormState): Promise<void> {
  const [certificates, me] = await Promise.all([
    certificatesOf(req.user!.id),
    certificateIdentities([req.user!.id]).then((m) => m.get(req.user!.id)),
  ]);
  res.render('certificates/mine', {
    title: req.t('certificates.mine'),
    certificates,
    courseTitle: (c: CertificateDoc) => courseTitle(req, c),
    formatCode,
    values: state?.values ?? {
      displayName: me?.displayName ?? '',
      localName: me?.localName ?? '',
      showNameOnVerification: me?.showNameOnVerification ? 'on' : '',
    },
    errors: state?.errors ?? {},
    notice: req.query.saved === 'names' ? 'certificates.names.saved' : undefined,
  });
}

export const showMine: RequestHandler = (req, res) => renderMine(req, res);

/**
 * A person's names as certificates print them, and whether the public verification page may show them.
 * Certificates already issued keep their names: a correction is re-issued by a coordinator.
 */
export const postNames = formAction({
  schema: z.object({
    displayName: displayNameField,
    localName: optionalText(120),
    showNameOnVerification: z.string().max(5).optional(),
  }),
  render: renderMine,
  run: async (data, req) => {
    await setCertificateIdentity(req.user!.id, {
      displayName: data.displayName,
      localName: data.localName,
      showNameOnVerification: data.showNameOnVerification !== undefined,
    });
    return '/me/certificates?saved=names';
  },
});

/** A certificate's PDF: its holder (while it is valid) and staff; to anyone else it does not exist. */
export function downloadPdf(deps: PrintDeps): RequestHandler {
  return async (req, res) => {
    const c = await findCertificate(req.params.code);
    const staff = hasRole(req.user, 'coordinator', 'admin');
    if (!c || (!staff && String(c.userId) !== req.user!.id)) throw AppError.notFound();
    if (c.status !== 'valid') throw new AppError(410, 'certificates.errors.notValid');
    const doc = certificatePdf(await printContext(deps, linkOrigin(req, deps.baseUrl)), c);
    res.type('application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="certificate-${c.code}.pdf"`);
    doc.pipe(res);
  };
}

const searchSchema = z.object({
  q: z.string().max(120).optional(),
  course: z.string().max(24).optional(),
  status: z.enum(['', 'valid', 'revoked', 'superseded']).optional(),
  round: z.string().max(24).optional(),
});

/** A training round named in the address (`?round=`): its name and members, or none. */
async function roundFrom(query: unknown): Promise<{ id: string; name: string; userIds: string[] } | null> {
  const id = (query as { round?: unknown }).round;
  const round = typeof id === 'string' && id ? await findRound(id) : null;
  return round ? { id: String(round._id), name: round.name, userIds: round.memberIds.map(String) } : null;
}

async function renderManage(req: Request, res: Response, extra: Record<string, unknown> = {}): Promise<void> {
  const parsed = searchSchema.safeParse(req.query);
  const search = parsed.success ? parsed.data : {};
  const courses = await coursesEditableBy(req.user!);
  const courseId = courses.some((c) => c.id === search.course) ? search.course : undefined;
  const [round, rounds] = await Promise.all([roundFrom(req.query), allRounds()]);
  const page = await searchCertificates(
    { q: search.q, courseId, status: search.status, userIds: round?.userIds },
    pageFromQuery(req.query),
  );
  res.render('certificates/manage', {
    title: req.t('certificates.manage'),
    certificates: page.items,
    pager: page,
    pageHref: (n: number) => pageHref('/certificates', req.query, n),
    search: {
      q: search.q ?? '',
      course: courseId ?? '',
      status: search.status ?? '',
      round: round?.id ?? '',
    },
    rounds: rounds.map((r) => ({ id: String(r._id), name: r.name })),
    courses,
    courseName: (c: CourseListItem) => localized(c.title, req.locale, c.primaryLocale),
    courseTitle: (c: CertificateDoc) => courseTitle(req, c),
    formatCode,
    values: {},
    errors: {},
    notice: knownNotice(req.query.notice, ['issued', 'revoked', 'reissued'], 'certificates.notices'),
    ...extra,
  });
}

export const showManage: RequestHandler = (req, res) => renderManage(req, res);

const issueSchema = z.object({
  email: emailField,
  courseId: z
    .string({ message: 'certificates.errors.course' })
    .regex(/^[0-9a-f]{24}$/, { message: 'certificates.errors.course' }),
  reason: requiredText(500),
});

export const postIssue: RequestHandler = async (req, res) => {
  const form = parseForm(issueSchema, req.body);
  if (!form.ok) {
    res.status(422);
    return renderManage(req, res, { values: form.values, errors: form.errors });
  }
  try {
    const c = await issueByCoordinator(req.user!.id, form.data.email, form.data.courseId, form.data.reason);
    res.redirect(303, `/certificates?q=${c.code}&notice=issued`);
  } catch (err) {
    const field = err instanceof AppError ? ISSUE_ERROR_FIELD[err.message] : undefined;
    if (!field) throw err;
    res.status(err instanceof AppError && err.status === 409 ? 409 : 422);
    const message = field === 'courseId' ? 'certificates.errors.course' : (err as AppError).message;
    return renderManage(req, res, { values: formValues(req.body), errors: { [field]: message } });
  }
};

/** The field each refusal of the service belongs to, for the form shown again. */
const ISSUE_ERROR_FIELD: Record<string, string> = {
  'certificates.errors.noSuchPerson': 'email',
  'certificates.errors.exists': 'email',
  'errors.notFound': 'courseId',
};

const reasonSchema = z.object({ reason: requiredText(500) });

function change(kind: 'revoke' | 'reissue'): RequestHandler {
  return async (req, res) => {
    const c = await findCertificate(req.params.code);
    if (!c) throw AppError.notFound();
    const form = parseForm(reasonSchema, req.body);
    if (!form.ok) throw new AppError(422, 'certificates.errors.reason');
    if (kind === 'revoke') {
      await revokeCertificate(req.user!.id, c.code, form.data.reason);
      return res.redirect(303, `/certificates?q=${c.code}&notice=revoked`);
    }
    const created = await reissueCertificate(req.user!.id, c.code, form.data.reason);
    res.redirect(303, `/certificates?q=${created.code}&notice=reissued`);
  };
}
export const postRevoke = change('revoke');
export const postReissue = change('reissue');

/** A whole course's certificates, as one PDF (cover, proof-reading pages, certificates) or as a ZIP. */
export function printCourse(deps: PrintDeps): RequestHandler {
  return async (req, res) => {
    const course = await findCourse(typeof req.query.course === 'string' ? req.query.course : '');
    if (!course) throw AppError.notFound();
    const ctx = await printContext(deps, linkOrigin(req, deps.baseUrl));
    const title = localized(course.title, ctx.look.locales[0] ?? 'en', course.primaryLocale);
    // A whole round: the course's certificates of the round's members only.
    const round = await roundFrom(req.query);
    // A round that does not exist must not widen the batch to the whole course.
    if (req.query.round && !round) throw AppError.notFound();
    const selection = { courseId: String(course._id), userIds: round?.userIds };
    const file = `certificates-${course.slug}${round ? `-${round.id}` : ''}`;
    // A batch of certificates is a list of people: who printed which, and when, is kept.
    await recordAuditEvent({
      actorId: req.user!.id,
      action: 'certificates.print',
      targetType: 'course',
      targetId: String(course._id),
      details: { round: round?.id ?? null, format: req.query.format === 'zip' ? 'zip' : 'pdf' },
    });
    if (req.query.format === 'zip') {
      res.type('application/zip');
      res.setHeader('Content-Disposition', `attachment; filename="${file}.zip"`);
      return streamCourseZip(ctx, selection, res);
    }
    res.type('application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${file}.pdf"`);
    const others = ctx.look.locales
      .slice(1)
      .map((l) => course.title[l])
      .filter((t): t is string => !!t);
    await streamCoursePdf(ctx, selection, [title, ...others, ...(round ? [round.name] : [])], res);
  };
}
