import { idOr404 } from '../core/object-id.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { AppError, isDuplicateKey } from '../core/app-error.js';
import { appEvents } from '../core/events.js';
import { signalWritten } from '../core/shared-cache.js';
import { findCourse } from '../courses/courses.service.js';
import { completionOf, completions, type Completion } from '../progress/progress.service.js';
import { quizzesOf } from '../quizzes/quizzes.service.js';
import { getSettings } from '../settings/settings.service.js';
import { certificateIdentities, findUserByEmail } from '../users/users.service.js';
import {
  Certificate,
  HELD_CHANGED,
  nextStatusIndex,
  statusIndexesUsed,
  type CertificateDoc,
  type CertificateSnapshot,
} from './certificate.model.js';
import { newCertificateCode, normaliseCode } from './certificate-code.js';
import { roundNameFor } from '../rounds/rounds.service.js';

export type { CertificateDoc, CertificateSnapshot, CertificateStatus } from './certificate.model.js';
export { formatCode, normaliseCode } from './certificate-code.js';

/**
 * Certificates: issued once per member and course when the course is completed (or by a coordinator, with
 * a reason), revoked with a reason, re-issued after a correction. Every change is one conditional write
 * or an insert guarded by a unique index, so parallel requests cannot issue twice.
 */

const oid = idOr404;

/** The score a certificate shows: the post-test's best, else the mean of the module quizzes' best. */
async function scoreOf(courseId: string, best: Record<string, number>): Promise<number | null> {
  const quizzes = await quizzesOf(courseId);
  const post = quizzes.find((q) => q.kind === 'posttest');
  if (post && best[String(post._id)] !== undefined) return Math.round(best[String(post._id)]!);
  const modules = quizzes.filter((q) => q.kind === 'module').map((q) => best[String(q._id)]);
  const taken = modules.filter((p): p is number => typeof p === 'number');
  return taken.length ? Math.round(taken.reduce((a, b) => a + b, 0) / taken.length) : null;
}

async function snapshotFor(
  userId: string,
  courseId: string,
  completion: Pick<Completion, 'completedAt' | 'quizBest'>,
): Promise<CertificateSnapshot> {
  const [course, people, settings, roundName] = await Promise.all([
    findCourse(courseId),
    certificateIdentities([userId]),
    getSettings(),
    roundNameFor(userId, courseId),
  ]);
  const person = people.get(userId);
  if (!course || !person) throw AppError.notFound();
  return {
    nameLatin: person.displayName,
    nameLocal: person.localName,
    courseTitle: { ...course.title },
    hours: course.estimatedHours ?? 0,
    score: await scoreOf(courseId, completion.quizBest),
    completedAt: completion.completedAt,
    roundName,
    organisation: settings?.organisationName ?? '',
  };
}

/** Inserts certificate number `number`; null when that number exists already (a parallel issue won). */
async function insert(
  fields: Omit<
    CertificateDoc,
    '_id' | 'code' | 'revokedAt' | 'revokedBy' | 'revokedReason' | 'supersededBy' | 'status' | 'statusIndex'
  >,
): Promise<CertificateDoc | null> {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const doc = await Certificate.create({
        ...fields,
        code: newCertificateCode(),
        statusIndex: await nextStatusIndex(),
      });
      await signalWritten(HELD_CHANGED);
      return doc.toObject() as CertificateDoc;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Which index refused it: another certificate with this number, or (astronomically rarely) the code.
      const exists = await Certificate.exists({
        userId: fields.userId,
        courseId: fields.courseId,
        number: fields.number,
      });
      if (exists) return null;
    }
  }
  throw new Error('could not draw an unused certificate code');
}

/**
 * The certificate for a completed course, issued if it was not yet: safe to call any number of times at
 * once (the completion event, a catch-up, a second request); only one is ever issued.
 */
export async function issueOnCompletion(userId: string, courseId: string): Promise<CertificateDoc | null> {
  const existing = await Certificate.findOne({ userId: oid(userId), courseId: oid(courseId) })
    .sort({ number: -1 })
    .lean<CertificateDoc>();
  if (existing) return existing;
  const completion = await completionOf(userId, courseId);
  if (!completion) return null;
  const created = await insert({
    userId: oid(userId),
    courseId: oid(courseId),
    number: 1,
    issuedAt: new Date(),
    issuedBy: null,
    reason: '',
    snapshot: await snapshotFor(userId, courseId, completion),
  });
  if (!created)
    return Certificate.findOne({
      userId: oid(userId),
      courseId: oid(courseId),
      number: 1,
    }).lean<CertificateDoc>();
  await recordAuditEvent({
    actorId: null,
    action: 'certificate.issued',
    targetType: 'certificate',
    targetId: created.code,
    details: { userId, courseId, automatic: true },
  });
  return created;
}

/** Issues what a completion should have issued and did not (the app stopped between the two, say). */
export async function issueMissing(filter: { courseId?: string; userId?: string }): Promise<number> {
  const done = await completions(filter);
  if (!done.length) return 0;
  const have = await Certificate.find(
    { userId: { $in: [...new Set(done.map((c) => c.userId))].map(oid) }, number: 1 },
    { userId: 1, courseId: 1 },
  ).lean();
  const issued = new Set(have.map((c) => `${String(c.userId)}|${String(c.courseId)}`));
  let count = 0;
  for (const c of done)
    if (!issued.has(`${c.userId}|${c.courseId}`) && (await issueOnCompletion(c.userId, c.courseId))) count++;
  return count;
}

let listening = false;

/**
 * Issues a certificate whenever a course is completed. Once per process: the event is process-wide, and a
 * second listener would only race the first to the same unique index. A certificate missed (the process
 * stopped in between) is issued by issueMissing when the member or a coordinator next looks.
 */
export function issueCertificatesOnCompletion(onError: (err: unknown) => void): void {
  if (listening) return;
  listening = true;
  appEvents.on('course.completed', ({ userId, courseId }) => {
    issueOnCompletion(userId, courseId).catch(onError);
  });
}

/**
 * A coordinator issues a certificate to someone who has not completed the course online (a paper round,
 * a course finished elsewhere), with a reason. A person with a certificate for the course gets none more:
 * correcting one is a re-issue.
 */
export async function issueByCoordinator(
  actorId: string,
  email: string,
  courseId: string,
  reason: string,
): Promise<CertificateDoc> {
  const person = await findUserByEmail(email);
  if (!person) throw new AppError(404, 'certificates.errors.noSuchPerson');
  const course = await findCourse(courseId);
  if (!course) throw AppError.notFound();
  const completion = (await completionOf(person.id, courseId)) ?? { completedAt: new Date(), quizBest: {} };
  const created = await insert({
    userId: oid(person.id),
    courseId: oid(courseId),
    number: 1,
    issuedAt: new Date(),
    issuedBy: oid(actorId),
    reason,
    snapshot: await snapshotFor(person.id, courseId, completion),
  });
  if (!created) throw new AppError(409, 'certificates.errors.exists');
  await recordAuditEvent({
    actorId,
    action: 'certificate.issued',
    targetType: 'certificate',
    targetId: created.code,
    details: { userId: person.id, courseId, reason },
  });
  return created;
}

export async function findCertificate(code: unknown): Promise<CertificateDoc | null> {
  // A malformed code is looked up too (as one that cannot exist), so it is not answered faster than an
  // unknown one: the two must not be told apart.
  return Certificate.findOne({ code: normaliseCode(code) ?? '-' }).lean<CertificateDoc>();
}

/** After a certificate's status changed: the status lists and what its holder holds. */
async function signalStatusChange(): Promise<void> {
  await Promise.all([signalWritten(STATUS_CHANGED), signalWritten(HELD_CHANGED)]);
}

export async function revokeCertificate(actorId: string, code: string, reason: string): Promise<void> {
  const result = await Certificate.updateOne(
    { code, status: 'valid' },
    { $set: { status: 'revoked', revokedAt: new Date(), revokedBy: oid(actorId), revokedReason: reason } },
  );
  if (result.matchedCount === 0) throw new AppError(409, 'certificates.errors.notValid');
  await signalStatusChange();
  await recordAuditEvent({
    actorId,
    action: 'certificate.revoked',
    targetType: 'certificate',
    targetId: code,
    details: { reason },
  });
}

/**
 * A corrected certificate (a name fixed in the person's profile, a course title corrected, a revocation
 * made in error): a new code with today's names and titles and the original completion; a valid old one
 * is marked superseded, a revoked one stays revoked, and either points at the new. Both writes are one
 * transaction (re-issuing is rare, never a hot path), so a crash between them cannot leave two valid
 * certificates or none; two coordinators re-issuing at once make one replacement.
 */
export async function reissueCertificate(
  actorId: string,
  code: string,
  reason: string,
): Promise<CertificateDoc> {
  const old = await Certificate.findOne({
    code,
    status: { $in: ['valid', 'revoked'] },
    supersededBy: null,
  }).lean<CertificateDoc>();
  if (!old) throw new AppError(409, 'certificates.errors.alreadyReplaced');
  const userId = String(old.userId);
  const courseId = String(old.courseId);
  const completion = await completionOf(userId, courseId);
  const snapshot = await snapshotFor(userId, courseId, {
    completedAt: old.snapshot.completedAt,
    quizBest: completion?.quizBest ?? {},
  });
  // Issued by hand without an online completion: the score stays what it was.
  if (!completion) snapshot.score = old.snapshot.score;
  snapshot.roundName = old.snapshot.roundName;
  const replacement = {
    code: newCertificateCode(),
    statusIndex: await nextStatusIndex(),
    userId: old.userId,
    courseId: old.courseId,
    number: old.number + 1,
    issuedAt: new Date(),
    issuedBy: oid(actorId),
    reason,
    snapshot,
  };
  let created: CertificateDoc | undefined;
  try {
    await Certificate.db.transaction(async (session) => {
      const marked = await Certificate.updateOne(
        { _id: old._id, status: old.status, supersededBy: null },
        {
          $set: { status: old.status === 'valid' ? 'superseded' : 'revoked', supersededBy: replacement.code },
        },
        { session },
      );
      if (marked.matchedCount === 0) throw new AppError(409, 'certificates.errors.alreadyReplaced');
      const [doc] = await Certificate.create([replacement], { session });
      created = doc!.toObject() as CertificateDoc;
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(409, 'certificates.errors.alreadyReplaced');
    throw err;
  }
  await signalStatusChange();
  await recordAuditEvent({
    actorId,
    action: 'certificate.reissued',
    targetType: 'certificate',
    targetId: replacement.code,
    details: { replaces: old.code, reason },
  });
  return created!;
}

/** A member's own certificates, newest first, after issuing any a completion left behind. */
export async function certificatesOf(userId: string): Promise<CertificateDoc[]> {
  await issueMissing({ userId });
  return Certificate.find({ userId: oid(userId) })
    .sort({ issuedAt: -1 })
    .limit(500)
    .lean<CertificateDoc[]>();
}

/** What the public verification page and its JSON may say about the holder. */
export async function holderOf(
  c: CertificateDoc,
): Promise<{ initials: string; fullName: string | null; fullNameLocal: string | null }> {
  const person = (await certificateIdentities([String(c.userId)])).get(String(c.userId));
  const initials = (name: string) =>
    name
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => `${Array.from(w)[0]!.toLocaleUpperCase()}.`)
      .join(' ');
  return {
    initials: initials(c.snapshot.nameLatin),
    fullName: person?.showNameOnVerification ? c.snapshot.nameLatin : null,
    fullNameLocal: person?.showNameOnVerification && c.snapshot.nameLocal ? c.snapshot.nameLocal : null,
  };
}

/** A signed status list changes only when a certificate is revoked or replaced. */
export const STATUS_CHANGED = 'certificate-status';

/** The status indexes in a list whose certificates no longer stand (revoked or replaced); null: no such list. */
export async function withdrawnStatusIndexes(list: number, length: number): Promise<number[] | null> {
  if (list * length >= Math.max(1, await statusIndexesUsed())) return null;
  const rows = await Certificate.find(
    { statusIndex: { $gte: list * length, $lt: (list + 1) * length }, status: { $ne: 'valid' } },
    { statusIndex: 1 },
  ).lean<{ statusIndex: number }[]>();
  return rows.map((r) => r.statusIndex);
}

export { verifyOffline, type OfflineVerification } from './credential.js';
