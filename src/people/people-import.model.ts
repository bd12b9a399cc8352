import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';
import type { ImportRow } from './people-import-rows.js';

/**
 * An import between its preview and its confirmation, kept in the database (not in one process's memory)
 * so the confirmation may reach any app instance. Only its owner may confirm it; it expires after an hour
 * unconfirmed. Once confirmed it records the accounts made, so memberships can be applied (again, they
 * are idempotent) if the process stopped half way through them.
 */
const pendingImportSchema = new Schema(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    fileName: { type: String, maxlength: 255, default: '' },
    status: { type: String, enum: ['pending', 'committed', 'done'], default: 'pending' },
    rows: { type: [Schema.Types.Mixed], default: [] },
    warnings: { type: [Schema.Types.Mixed], default: [] },
    userIds: { type: [Schema.Types.ObjectId], default: [] },
    summary: { type: Schema.Types.Mixed, default: () => ({}) },
    /** Set at commit: who joins which round and which course, by account id. */
    memberships: { type: Schema.Types.Mixed, default: () => ({ rounds: [], courses: [] }) },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, minimize: false },
);
pendingImportSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface ImportSummary {
  people: number;
  enrolments: number;
  memberships: number;
}

export interface PendingImportDoc {
  _id: string;
  ownerId: Types.ObjectId;
  fileName: string;
  status: 'pending' | 'committed' | 'done';
  rows: ImportRow[];
  warnings: unknown[];
  userIds: Types.ObjectId[];
  summary: ImportSummary;
  memberships: MembershipPlan;
  expiresAt: Date;
}

/** Memberships to apply once the accounts exist, as lists of account ids per round and per course. */
export interface MembershipPlan {
  rounds: { roundId: string; userIds: string[] }[];
  courses: { courseId: string; userIds: string[] }[];
}

export const PendingImport = defineModel('PendingImport', pendingImportSchema);
