import type { Request, RequestHandler, Response } from 'express';
import { calendarDay, formatDate } from '../core/dates.js';
import { organisationTimeZone } from '../settings/settings.service.js';
import { localized } from '../courses/courses.service.js';
import {
  findCertificate,
  formatCode,
  holderOf,
  normaliseCode,
  type CertificateDoc,
} from './certificates.service.js';

/**
 * The public verification page, /verify/<code>, for partners checking a paper certificate. It says what
 * was certified (course, hours, score band, completion date, issuing organisation), so a PDF edited from
 * one course or level to another is caught by comparison, but names the holder by initials only unless
 * they chose to show their name. An unknown code and a malformed one get the same answer, so the page
 * tells nothing about which codes exist beyond the one asked.
 */

/** Scores in bands of ten: enough to compare with the paper, without publishing a person's exact mark. */
export function scoreBand(score: number | null): string | null {
  if (score === null) return null;
  const low = Math.min(90, Math.floor(score / 10) * 10);
  return `${low}–${low === 90 ? 100 : low + 9}`;
}

interface Verification {
  status: 'valid' | 'revoked' | 'superseded' | 'unknown';
  /** Absent when unknown: the answer must not depend on what was asked. */
  code?: string;
  certificate?: {
    course: Record<string, string>;
    hours: number;
    scoreBand: string | null;
    completedOn: string;
    issuedOn: string;
    organisation: string;
    holderInitials: string;
    holderName: string | null;
    holderNameLocal: string | null;
    revokedOn: string | null;
    supersededBy: string | null;
  };
}

async function verification(c: CertificateDoc | null, timeZone: string): Promise<Verification> {
  if (!c) return { status: 'unknown' };
  const holder = await holderOf(c);
  // The organisation's calendar day, as on the page and the printed certificate.
  const day = (d: Date) => calendarDay(d, timeZone);
  return {
    status: c.status,
    code: c.code,
    certificate: {
      course: Object.fromEntries(
        Object.entries(c.snapshot.courseTitle).filter(
          (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
        ),
      ),
      hours: c.snapshot.hours,
      scoreBand: scoreBand(c.snapshot.score),
      completedOn: day(c.snapshot.completedAt),
      issuedOn: day(c.issuedAt),
      organisation: c.snapshot.organisation,
      holderInitials: holder.initials,
      holderName: holder.fullName,
      holderNameLocal: holder.fullNameLocal,
      revokedOn: c.revokedAt ? day(c.revokedAt) : null,
      supersededBy: c.supersededBy,
    },
  };
}

function answer(
  req: Request,
  res: Response,
  v: Verification,
  c: CertificateDoc | null,
  asked: string,
  timeZone?: string,
): void {
  // Nobody else's business how often a code is checked, and a revoked one must not linger in a cache.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex');
  if (req.accepts(['html', 'json']) === 'json') {
    res.status(v.status === 'unknown' ? 404 : 200).json(v);
    return;
  }
  res.status(v.status === 'unknown' ? 404 : 200).render('certificates/verify', {
    title: req.t('certificates.verify.title'),
    v,
    asked,
    courseTitle: c ? localized(c.snapshot.courseTitle, req.locale, 'en') : '',
    completedOn: c ? formatDate(c.snapshot.completedAt, req.locale, timeZone) : '',
    issuedOn: c ? formatDate(c.issuedAt, req.locale, timeZone) : '',
    revokedOn: c?.revokedAt ? formatDate(c.revokedAt, req.locale, timeZone) : '',
    formatCode,
  });
}

export const showVerifyForm: RequestHandler = (req, res) => {
  const typed = typeof req.query.code === 'string' ? req.query.code : '';
  if (typed) {
    const code = normaliseCode(typed);
    // A code that cannot be one goes to the same "unknown" answer as one that is not issued.
    return res.redirect(303, `/verify/${encodeURIComponent(code ?? typed.slice(0, 40))}`);
  }
  res.render('certificates/verify-form', { title: req.t('certificates.verify.title') });
};

export const showVerification: RequestHandler = async (req, res) => {
  const asked = String(req.params.code ?? '').slice(0, 40);
  const c = await findCertificate(asked);
  const timeZone = await organisationTimeZone();
  answer(req, res, await verification(c, timeZone), c, asked, timeZone);
};

/**
 * A code whose percent-escapes cannot be decoded (/verify/%zz) fails before the page runs; it gets the
 * same "unknown" answer as any other code that is not issued, not a different error.
 */
export const undecodableCode = (err: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
  const undecodable = err instanceof URIError || (err as { status?: number } | null)?.status === 400;
  if (!undecodable || req.method !== 'GET' || !req.path.startsWith('/verify/')) return next(err);
  answer(req, res, { status: 'unknown' }, null, req.path.slice('/verify/'.length, 48));
};
