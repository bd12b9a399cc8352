import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError, isDuplicateKey } from '../core/app-error.js';
import { CsvFileError, readCsvTable } from '../core/csv-import.js';
import { manageableRoles } from '../core/roles.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { coursesBySlug } from '../courses/courses.service.js';
import { enrolMany } from '../progress/progress.service.js';
import { addMembers, allRounds, type RoundDoc } from '../rounds/rounds.service.js';
import {
  insertImportedPeople,
  peopleImported,
  takenEmails,
  unusablePasswordHash,
  type ImportedPerson,
} from '../users/user-directory.service.js';
import type { SessionUser } from '../users/users.service.js';
import {
  PendingImport,
  type ImportSummary,
  type MembershipPlan,
  type PendingImportDoc,
} from './people-import.model.js';
import {
  checkRow,
  duplicateEmails,
  mapColumns,
  type CheckedRow,
  type ImportProblem,
  type ImportRow,
} from './people-import-rows.js';

export type { ImportProblem } from './people-import-rows.js';
export type { ImportSummary } from './people-import.model.js';

/**
 * Importing people from a CSV file, all or nothing: a preview checks every row and writes nothing; the
 * confirmation checks them all again (the database may have changed meanwhile) and creates every account
 * in one transaction. Round memberships and enrolments go through the rounds and progress services, which
 * write outside that transaction: they are applied right after it commits, and are idempotent, so if the
 * process stops half way a second confirmation finishes them (the import remembers it was committed).
 */

export const IMPORT_MAX_BYTES = 5 * 2 ** 20;
export const IMPORT_MAX_ROWS = 10_000;
const PREVIEW_LIFETIME_MS = 60 * 60 * 1000;
/** A committed import is kept a while, so its result page and an unfinished membership step can be resumed. */
const RESULT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface ImportPreview {
  /** Present when nothing is wrong: the id the confirmation refers to. */
  id?: string;
  problems: ImportProblem[];
  warnings: ImportProblem[];
  summary: ImportSummary;
}

interface Plan {
  people: ImportedPerson[];
  memberships: MembershipPlan;
  summary: ImportSummary;
}

const COLUMN_ORDER = ['', 'email', 'firstname', 'lastname', 'localname', 'organisation', 'province', 'roles'];

function byRowThenColumn(a: ImportProblem, b: ImportProblem): number {
  const rank = (c: string) => (COLUMN_ORDER.includes(c) ? COLUMN_ORDER.indexOf(c) : COLUMN_ORDER.length);
  return (a.row ?? 0) - (b.row ?? 0) || rank(a.column) - rank(b.column) || a.column.localeCompare(b.column);
}

/** A round named in the cell: its exact name, or several exact names separated by ';' (as exported). */
function roundsNamed(cell: string, byName: Map<string, RoundDoc[]>): RoundDoc[] | ImportProblem['params'] {
  const names = byName.has(cell)
    ? [cell]
    : cell
        .split(';')
        .map((n) => n.trim())
        .filter(Boolean);
  const found: RoundDoc[] = [];
  for (const name of names) {
    const rounds = byName.get(name) ?? [];
    if (rounds.length !== 1) return { value: name, count: rounds.length };
    found.push(rounds[0]!);
  }
  return found;
}

/** Every check, against the database as it is now; the plan is valid only when there are no problems. */
async function checkAll(
  rows: ImportRow[],
  actor: SessionUser,
): Promise<{ problems: ImportProblem[]; plan: Plan }> {
  const allowed = manageableRoles(actor);
  const problems: ImportProblem[] = [];
  const checked: CheckedRow[] = [];
  for (const raw of rows) {
    const result = checkRow(raw, allowed);
    problems.push(...result.problems);
    if (result.checked) checked.push(result.checked);
  }
  problems.push(...duplicateEmails(checked));
  const taken = await takenEmails(checked.map((r) => r.email));
  for (const r of checked)
    if (taken.has(r.email))
      problems.push({ row: r.row, column: 'email', key: 'users.import.errors.emailTaken' });

  const byName = new Map<string, RoundDoc[]>();
  for (const round of await allRounds()) byName.set(round.name, [...(byName.get(round.name) ?? []), round]);
  const slugs = [...new Set(checked.flatMap((r) => r.courses.map((c) => c.slug)))];
  const courses = await coursesBySlug(slugs);

  const people: ImportedPerson[] = [];
  const roundMembers = new Map<string, string[]>();
  const courseMembers = new Map<string, string[]>();
  let enrolments = 0;
  let memberships = 0;
  for (const r of checked) {
    const id = new Types.ObjectId();
    const rounds = r.round ? roundsNamed(r.round, byName) : [];
    if (!Array.isArray(rounds)) {
      const key = rounds?.count ? 'users.import.errors.roundAmbiguous' : 'users.import.errors.unknownRound';
      problems.push({ row: r.row, column: 'round', key, params: { value: String(rounds?.value ?? '') } });
    }
    const viaRounds = new Set(
      (Array.isArray(rounds) ? rounds : []).flatMap((round) => round.courseIds.map(String)),
    );
    const direct = new Set<string>();
    for (const { column, slug } of r.courses) {
      const course = courses.get(slug);
      if (!course)
        problems.push({
          row: r.row,
          column,
          key: 'users.import.errors.unknownCourse',
          params: { value: slug },
        });
      else if (course.status !== 'published')
        problems.push({
          row: r.row,
          column,
          key: 'users.import.errors.courseNotOpen',
          params: { value: slug },
        });
      else if (!viaRounds.has(String(course._id))) direct.add(String(course._id));
    }
    for (const round of Array.isArray(rounds) ? rounds : []) {
      const key = String(round._id);
      roundMembers.set(key, [...(roundMembers.get(key) ?? []), String(id)]);
    }
    for (const courseId of direct)
      courseMembers.set(courseId, [...(courseMembers.get(courseId) ?? []), String(id)]);
    memberships += Array.isArray(rounds) ? rounds.length : 0;
    enrolments += viaRounds.size + direct.size;
    people.push({
      _id: id,
      email: r.email,
      displayName: r.displayName,
      localName: r.localName,
      organisation: r.organisation,
      province: r.province,
      roles: r.roles,
      status: r.status,
    });
  }
  return {
    problems: problems.sort(byRowThenColumn),
    plan: {
      people,
      memberships: {
        rounds: [...roundMembers].map(([roundId, userIds]) => ({ roundId, userIds })),
        courses: [...courseMembers].map(([courseId, userIds]) => ({ courseId, userIds })),
      },
      summary: { people: people.length, enrolments, memberships },
    },
  };
}

const EMPTY_SUMMARY: ImportSummary = { people: 0, enrolments: 0, memberships: 0 };

/** Reads and checks a file; when nothing is wrong, keeps it for the confirmation and gives its id. */
export async function previewImport(
  bytes: Uint8Array,
  fileName: string,
  actor: SessionUser,
): Promise<ImportPreview> {
  let table;
  try {
    table = await readCsvTable(bytes, { maxRecords: IMPORT_MAX_ROWS });
  } catch (err) {
    if (!(err instanceof CsvFileError)) throw err;
    return {
      problems: [{ row: null, column: '', key: err.key, params: err.params }],
      warnings: [],
      summary: EMPTY_SUMMARY,
    };
  }
  const mapped = mapColumns(table);
  if (mapped.fileProblems.length)
    return { problems: mapped.fileProblems, warnings: mapped.warnings, summary: EMPTY_SUMMARY };
  const { problems, plan } = await checkAll(mapped.rows, actor);
  if (problems.length) return { problems, warnings: mapped.warnings, summary: plan.summary };
  const id = randomBytes(18).toString('base64url');
  await PendingImport.create({
    _id: id,
    ownerId: new Types.ObjectId(actor.id),
    fileName: fileName.slice(0, 255),
    rows: mapped.rows,
    warnings: mapped.warnings,
    summary: plan.summary,
    expiresAt: new Date(Date.now() + PREVIEW_LIFETIME_MS),
  });
  return { id, problems: [], warnings: mapped.warnings, summary: plan.summary };
}

/** An import of this person's, by the id in its address; anyone else's (or an expired one) is a 404. */
export async function findImport(id: string, actor: SessionUser): Promise<PendingImportDoc> {
  const doc =
    typeof id === 'string' && /^[\w-]{24}$/.test(id)
      ? await PendingImport.findOne({
          _id: id,
          ownerId: new Types.ObjectId(actor.id),
        }).lean<PendingImportDoc>()
      : null;
  if (!doc) throw AppError.notFound();
  return doc;
}

export type ConfirmOutcome = { ok: true } | { ok: false; problems: ImportProblem[] };

/**
 * Creates every account of a previewed import, or none: every row is checked again first, and then the
 * accounts and the import's "committed" mark are one transaction. Confirming twice (a double click,
 * another tab) makes the accounts once.
 */
export async function confirmImport(id: string, actor: SessionUser): Promise<ConfirmOutcome> {
  const doc = await findImport(id, actor);
  if (doc.status === 'done') return { ok: true };
  if (doc.status === 'committed') {
    await applyMemberships(doc._id, doc.memberships, actor.id);
    return { ok: true };
  }
  const { problems, plan } = await checkAll(doc.rows, actor);
  if (problems.length) {
    await PendingImport.deleteOne({ _id: doc._id, status: 'pending' });
    return { ok: false, problems };
  }
  const passwordHash = await unusablePasswordHash();
  try {
    await PendingImport.db.transaction(async (session) => {
      const marked = await PendingImport.updateOne(
        { _id: doc._id, status: 'pending' },
        {
          $set: {
            status: 'committed',
            userIds: plan.people.map((p) => p._id),
            memberships: plan.memberships,
            summary: plan.summary,
            expiresAt: new Date(Date.now() + RESULT_LIFETIME_MS),
          },
        },
        { session },
      );
      // Confirmed meanwhile (another tab): that confirmation made the accounts.
      if (marked.matchedCount === 0) throw new AppError(409, 'users.import.errors.alreadyConfirmed');
      await insertImportedPeople(plan.people, passwordHash, session);
    });
  } catch (err) {
    if (err instanceof AppError && err.status === 409) return { ok: true };
    if (!isDuplicateKey(err)) throw err;
    // Someone made one of these accounts since the check: nothing was written; say which row.
    const email = (err as { keyValue?: { email?: unknown } }).keyValue?.email;
    const row = doc.rows.find((r) => r.email.trim().toLowerCase() === email)?.row ?? null;
    await PendingImport.deleteOne({ _id: doc._id, status: 'pending' });
    return { ok: false, problems: [{ row, column: 'email', key: 'users.import.errors.emailTaken' }] };
  }
  await peopleImported();
  await recordAuditEvent({
    actorId: actor.id,
    action: 'people.import',
    targetType: 'people',
    targetId: doc._id,
    details: { ...plan.summary, file: doc.fileName },
  });
  await applyMemberships(doc._id, plan.memberships, actor.id);
  return { ok: true };
}

/** Adds the new accounts to their rounds (which enrols them in its courses) and their other courses. */
async function applyMemberships(importId: string, plan: MembershipPlan, actorId: string): Promise<void> {
  for (const { roundId, userIds } of plan.rounds) await addMembers(roundId, userIds, actorId);
  for (const { courseId, userIds } of plan.courses) await enrolMany(userIds, courseId);
  await PendingImport.updateOne({ _id: importId }, { $set: { status: 'done' } });
}
