import { Types } from 'mongoose';
import { AuditEvent, type AuditEventFields } from './audit-event.model.js';

export interface AuditInput {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

export async function recordAuditEvent(input: AuditInput): Promise<void> {
  await AuditEvent.create({
    actorId: input.actorId ? new Types.ObjectId(input.actorId) : null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    details: input.details ?? {},
  });
}

export async function listAuditEvents(
  filter: { targetType?: string; targetId?: string },
  limit = 50,
): Promise<AuditEventFields[]> {
  const query: Record<string, string> = {};
  if (filter.targetType) query.targetType = String(filter.targetType);
  if (filter.targetId) query.targetId = String(filter.targetId);
  return AuditEvent.find(query).sort({ at: -1 }).limit(limit).lean<AuditEventFields[]>();
}

/** When something was last done to a target (e.g. a course's certificates last printed for a round). */
export async function lastDone(filter: {
  action: string;
  targetId: string;
  details?: Record<string, string | null>;
}): Promise<Date | null> {
  const query: Record<string, unknown> = { action: String(filter.action), targetId: String(filter.targetId) };
  for (const [k, v] of Object.entries(filter.details ?? {})) query[`details.${k}`] = v;
  const event = await AuditEvent.findOne(query, { at: 1 }).sort({ at: -1 }).lean();
  return event?.at ?? null;
}
