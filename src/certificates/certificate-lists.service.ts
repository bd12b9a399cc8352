import { Types } from 'mongoose';
import { lastDone } from '../audit/audit.service.js';
import { literalPattern } from '../courses/courses.service.js';
import { idOr404 } from '../core/object-id.js';
import { paginate, type Page } from '../core/pagination.js';
import { sharedCache } from '../core/shared-cache.js';
import { Certificate, HELD_CHANGED, type CertificateDoc } from './certificate.model.js';
import { normaliseCode } from './certificate-code.js';

/**
 * Certificates as lists read them: the desk's search, a person's valid ones, a course's (or a round's)
 * for printing, what waits to be printed, a person's history for a report. Read-only: nothing here issues,
 * revokes or changes a certificate (that is certificates.service).
 */

const oid = idOr404;

export interface CertificateSearch {
  q?: string;
  courseId?: string;
  status?: string;
  /** Only these holders (a training round's members). */
  userIds?: string[];
}

function searchFilter(s: CertificateSearch): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (s.courseId) filter.courseId = oid(s.courseId);
  if (s.userIds) filter.userId = { $in: s.userIds.map((u) => oid(u)) };
  if (s.status === 'valid' || s.status === 'revoked' || s.status === 'superseded') filter.status = s.status;
  const q = (s.q ?? '').trim();
  if (q) {
    const code = normaliseCode(q);
    const pattern = { $regex: literalPattern(q), $options: 'i' };
    filter.$or = [
      ...(code ? [{ code }] : []),
      { 'snapshot.nameLatin': pattern },
      { 'snapshot.nameLocal': pattern },
    ];
  }
  return filter;
}

export async function searchCertificates(
  s: CertificateSearch,
  page: number,
  perPage = 50,
): Promise<Page<CertificateDoc>> {
  const filter = searchFilter(s);
  return paginate(
    page,
    perPage,
    (skip, limit) =>
      Certificate.find(filter)
        .sort({ issuedAt: -1, _id: -1 })
        .skip(skip)
        .limit(limit)
        .lean<CertificateDoc[]>(),
    () => Certificate.countDocuments(filter),
  );
}

/**
 * A person's valid certificates, newest first, as their home page lists them: read only (the catch-up
 * issue runs on their certificates page), so the home page stays one read.
 */
type Held = Pick<CertificateDoc, 'code' | 'issuedAt' | 'snapshot'>;
/** What each person holds, from memory once read: their home page shows it on every visit. */
const held = sharedCache<Held[]>(HELD_CHANGED);

export async function validCertificatesHeld(userId: string): Promise<Held[]> {
  if (!/^[0-9a-f]{24}$/i.test(userId)) return [];
  return held.get(userId, () =>
    Certificate.find({ userId: oid(userId), status: 'valid' }, { code: 1, issuedAt: 1, snapshot: 1 })
      .sort({ issuedAt: -1 })
      .limit(50)
      .lean<Held[]>(),
  );
}

/** Which certificates a print takes: a course's, or only those of some people (a training round's members). */
export interface CertificateSelection {
  courseId: string;
  userIds?: string[];
}

function selectionFilter(s: CertificateSelection): Record<string, unknown> {
  return {
    courseId: oid(s.courseId),
    status: 'valid',
    ...(s.userIds ? { userId: { $in: s.userIds.map((u) => oid(u)) } } : {}),
  };
}

/**
 * A course's valid certificates in name order, one at a time: printing a whole course streams them, so
 * memory does not grow with their number.
 */
export async function* validCertificatesOf(selection: CertificateSelection): AsyncGenerator<CertificateDoc> {
  const cursor = Certificate.find(selectionFilter(selection))
    .sort({ 'snapshot.nameLatin': 1, _id: 1 })
    .lean<CertificateDoc[]>()
    .cursor({ batchSize: 50 });
  for await (const c of cursor) yield c;
}

export async function countValidCertificates(selection: CertificateSelection): Promise<number> {
  return Certificate.countDocuments(selectionFilter(selection));
}

/**
 * The valid certificates of a selection issued since it was last printed as a batch (every batch print is
 * an audit event), so "certificates to print" empties once a round's certificates have been printed.
 */
export async function countUnprinted(selection: CertificateSelection & { roundId: string }): Promise<number> {
  const printed = await lastDone({
    action: 'certificates.print',
    targetId: selection.courseId,
    details: { round: selection.roundId },
  });
  return Certificate.countDocuments({
    ...selectionFilter(selection),
    ...(printed ? { issuedAt: { $gt: printed } } : {}),
  });
}

export interface IssuedCertificate {
  courseId: string;
  number: number;
  issuedAt: Date;
  revokedAt: Date | null;
}

export async function certificatesIssuedTo(userId: string): Promise<IssuedCertificate[]> {
  if (!Types.ObjectId.isValid(userId)) return [];
  const rows = await Certificate.find(
    { userId: new Types.ObjectId(userId) },
    { courseId: 1, number: 1, issuedAt: 1, revokedAt: 1 },
  )
    .sort({ issuedAt: 1 })
    .limit(500)
    .lean<{ courseId: Types.ObjectId; number: number; issuedAt: Date; revokedAt?: Date | null }[]>();
  return rows.map((c) => ({
    courseId: String(c.courseId),
    number: c.number,
    issuedAt: c.issuedAt,
    revokedAt: c.revokedAt ?? null,
  }));
}
