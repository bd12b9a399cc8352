import { Types } from 'mongoose';
import { Certificate } from './certificate.model.js';

/**
 * Certificates as a person's timeline shows them. Read-only: unlike certificatesOf, nothing is issued on
 * the way, so looking at a report never changes what it reports.
 */
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
