/**
 * Certificates and completions written straight to the database, for tests about the pages and lists
 * that read them (a completion through the app takes a lesson page, a post and the issuing event).
 */
import { Types } from 'mongoose';
import {
  Certificate,
  nextStatusIndex,
  type CertificateDoc,
  type CertificateStatus,
} from '../../src/certificates/certificate.model.js';
import { newCertificateCode } from '../../src/certificates/certificate-code.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';

export interface StoredCertificate {
  userId: string;
  courseId: string;
  number?: number;
  status?: CertificateStatus;
  issuedAt?: Date;
  reason?: string;
  nameLatin?: string;
  nameLocal?: string;
  courseTitle?: Record<string, string>;
  hours?: number;
  score?: number | null;
  completedAt?: Date;
  roundName?: string;
  organisation?: string;
  revokedAt?: Date | null;
  revokedReason?: string;
  supersededBy?: string | null;
}

/** One certificate as the service would have stored it; its status index is drawn from the real counter. */
export async function storeCertificate(c: StoredCertificate): Promise<CertificateDoc> {
  const doc = await Certificate.create({
    code: newCertificateCode(),
    userId: new Types.ObjectId(c.userId),
    courseId: new Types.ObjectId(c.courseId),
    number: c.number ?? 1,
    status: c.status ?? 'valid',
    issuedAt: c.issuedAt ?? new Date(),
    reason: c.reason ?? '',
    statusIndex: await nextStatusIndex(),
    snapshot: {
      nameLatin: c.nameLatin ?? 'Nadia Ahmadi',
      nameLocal: c.nameLocal ?? '',
      courseTitle: c.courseTitle ?? { en: 'Trafficking in persons' },
      hours: c.hours ?? 3,
      score: c.score === undefined ? null : c.score,
      completedAt: c.completedAt ?? new Date('2026-03-10T09:00:00Z'),
      roundName: c.roundName ?? '',
      organisation: c.organisation ?? 'Test Network',
    },
    revokedAt: c.revokedAt ?? (c.status === 'revoked' ? new Date() : null),
    revokedReason: c.revokedReason ?? '',
    supersededBy: c.supersededBy ?? null,
  });
  return doc.toObject() as CertificateDoc;
}

/**
 * A completed course as the progress service records it (the issuing event not sent), with the best
 * percent of each quiz taken.
 */
export async function storeCompletion(
  userId: string,
  courseId: string,
  options: { completedAt?: Date; quizBest?: Record<string, number> } = {},
): Promise<void> {
  await Enrolment.create({
    userId: new Types.ObjectId(userId),
    courseId: new Types.ObjectId(courseId),
    status: 'active',
    completedAt: options.completedAt ?? new Date('2026-03-10T09:00:00Z'),
    quizBest: options.quizBest ?? {},
  });
}
