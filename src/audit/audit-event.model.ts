import { Schema, type InferSchemaType } from 'mongoose';
import { defineModel } from '../core/models.js';

/** Append-only record of who did what to what; never updated after insert. */
const auditEventSchema = new Schema({
  at: { type: Date, required: true, default: () => new Date(), index: true },
  actorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  action: { type: String, required: true, maxlength: 100 },
  targetType: { type: String, required: true, maxlength: 50 },
  targetId: { type: String, required: true, maxlength: 100 },
  details: { type: Schema.Types.Mixed, default: {} },
});

export type AuditEventFields = InferSchemaType<typeof auditEventSchema>;
export const AuditEvent = defineModel('AuditEvent', auditEventSchema);
