import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import type { LocalText } from '../courses/courses.service.js';

const localText = new Schema(
  Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, { type: String, default: '' }])),
  { _id: false },
);

export const CERTIFICATE_STATUSES = ['valid', 'revoked', 'superseded'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/**
 * What a certificate certifies, frozen when it is issued: a later change to the person's name, the course
 * title or the organisation does not change a certificate already given (a correction is a re-issue).
 */
export interface CertificateSnapshot {
  nameLatin: string;
  nameLocal: string;
  courseTitle: LocalText;
  hours: number;
  /** Percent: the post-test's best, else the mean of the module quizzes' best; null without quizzes. */
  score: number | null;
  completedAt: Date;
  roundName: string;
  organisation: string;
}

/**
 * One certificate. `number` counts the certificates of a member in a course (1 for the first, 2 for the
 * re-issue that replaced it, …): the unique index on it is what makes a completion noticed twice at once
 * (two requests, an event and a catch-up) issue one certificate, and two coordinators re-issuing at once
 * make one replacement.
 */
const certificateSchema = new Schema(
  {
    code: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    courseId: { type: Schema.Types.ObjectId, ref: 'Course', required: true },
    number: { type: Number, required: true, min: 1 },
    status: { type: String, enum: CERTIFICATE_STATUSES, default: 'valid' },
    issuedAt: { type: Date, required: true },
    /** null when issued automatically on completion. */
    issuedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    reason: { type: String, default: '', maxlength: 500 },
    snapshot: {
      nameLatin: { type: String, default: '' },
      nameLocal: { type: String, default: '' },
      courseTitle: { type: localText, default: () => ({}) },
      hours: { type: Number, default: 0 },
      score: { type: Number, default: null },
      completedAt: { type: Date, required: true },
      roundName: { type: String, default: '' },
      organisation: { type: String, default: '' },
    },
    revokedAt: { type: Date, default: null },
    revokedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    revokedReason: { type: String, default: '' },
    /** The code of the certificate that replaced this one. */
    supersededBy: { type: String, default: null },
    /** Its bit in the published revocation list of signed credentials (one per certificate, never reused). */
    statusIndex: { type: Number, required: true },
  },
  { timestamps: true },
);
certificateSchema.index({ code: 1 }, { unique: true });
certificateSchema.index({ userId: 1, courseId: 1, number: 1 }, { unique: true });
certificateSchema.index({ courseId: 1, issuedAt: -1 });
certificateSchema.index({ userId: 1, issuedAt: -1 });
certificateSchema.index({ statusIndex: 1 }, { unique: true });

export interface CertificateDoc {
  _id: Types.ObjectId;
  code: string;
  userId: Types.ObjectId;
  courseId: Types.ObjectId;
  number: number;
  status: CertificateStatus;
  issuedAt: Date;
  issuedBy: Types.ObjectId | null;
  reason: string;
  snapshot: CertificateSnapshot;
  revokedAt: Date | null;
  revokedBy: Types.ObjectId | null;
  revokedReason: string;
  supersededBy: string | null;
  statusIndex: number;
}

/** The shared-cache kind of what each person holds: signalled by every issue, revocation and re-issue. */
export const HELD_CHANGED = 'certificates-held';

export const Certificate = defineModel('Certificate', certificateSchema);

/** Counters that only go up, each taken with one atomic $inc. */
const CertificateCounter = defineModel(
  'CertificateCounter',
  new Schema({ _id: String, n: { type: Number, default: 0 } }),
  'certificatecounters',
);

/** The next status list index: 0, 1, 2, … across all instances. */
export async function nextStatusIndex(): Promise<number> {
  const doc = await CertificateCounter.findOneAndUpdate(
    { _id: 'statusIndex' },
    { $inc: { n: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean<{ n: number }>();
  return doc.n - 1;
}

/** How many status indexes have been handed out (0 before the first certificate). */
export async function statusIndexesUsed(): Promise<number> {
  const doc = await CertificateCounter.findById('statusIndex').lean<{ n: number }>();
  return doc?.n ?? 0;
}
