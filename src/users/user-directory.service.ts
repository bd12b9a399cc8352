import { randomBytes } from 'node:crypto';
import { Types, type ClientSession } from 'mongoose';
import { isDuplicateKey, ValidationError } from '../core/app-error.js';
import { isLocale } from '../core/i18n.js';
import { DEFAULT_PER_PAGE, paginate, type Page } from '../core/pagination.js';
import type { Role } from '../core/roles.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { searchPattern } from '../courses/courses.service.js';
import { hashPassword } from './passwords.js';
import { User, type UserStatus } from './user.model.js';
import { accountChanged, toSummary, validId, type UserSummary } from './users.service.js';

/**
 * The people of the organisation as staff look them up, edit their details and bring them in by the
 * hundred. Kept apart from users.service (sign-in, sessions, passwords) so each stays readable.
 */

export interface PeopleFilter {
  /** Part of the name (either script) or the email, matched as typed, never as a pattern. */
  q?: string;
  role?: Role;
  province?: string;
  organisation?: string;
  status?: UserStatus;
  /** Only these people (a round's members); an empty list matches nobody. */
  ids?: string[];
}

function peopleQuery(filter: PeopleFilter): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter.q) {
    const re = new RegExp(searchPattern(filter.q), 'i');
    query.$or = [{ displayName: re }, { localName: re }, { email: re }];
  }
  if (filter.role) query.roles = String(filter.role);
  if (filter.province) query.province = String(filter.province);
  if (filter.organisation) query.organisation = String(filter.organisation);
  if (filter.status) query.status = String(filter.status);
  if (filter.ids) query._id = { $in: filter.ids.filter(validId).map((id) => new Types.ObjectId(id)) };
  return query;
}

/** People matching the filter, newest first, one page at a time. */
export async function listPeople(
  filter: PeopleFilter,
  page: number,
  perPage = DEFAULT_PER_PAGE,
): Promise<Page<UserSummary>> {
  const query = peopleQuery(filter);
  return paginate(
    page,
    perPage,
    async (skip, limit) =>
      (await User.find(query).sort({ createdAt: -1, _id: -1 }).skip(skip).limit(limit).lean()).map(toSummary),
    () => User.countDocuments(query),
  );
}

/** The provinces and organisations people have, for the list's filters (sorted, empty ones left out). */
export async function peopleFacets(): Promise<{ provinces: string[]; organisations: string[] }> {
  const [provinces, organisations] = await Promise.all([
    User.distinct('province'),
    User.distinct('organisation'),
  ]);
  const clean = (values: unknown[]) =>
    values
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
      .sort((a, b) => a.localeCompare(b));
  return { provinces: clean(provinces), organisations: clean(organisations) };
}

/** What staff may change of a person's details (roles, status and password have their own pages). */
export interface PersonDetails {
  displayName: string;
  localName: string;
  email: string;
  organisation: string;
  province: string;
  locale: string;
}

const DETAIL_FIELDS = ['displayName', 'localName', 'email', 'organisation', 'province', 'locale'] as const;

/**
 * Saves a person's details and records which fields changed (not their values: the audit log is read by
 * every coordinator, and a person's province can be sensitive). Returns the changed fields; an email
 * another account has is refused on the email field.
 */
export async function updatePersonDetails(
  id: string,
  details: PersonDetails,
  actorId: string,
): Promise<string[]> {
  if (!validId(id)) return [];
  const current = await User.findById(id).lean();
  if (!current) return [];
  const wanted: Record<string, string> = {
    ...details,
    email: details.email.toLowerCase().trim(),
    locale: isLocale(details.locale) ? details.locale : 'en',
  };
  const stored = current as Record<string, unknown>;
  const changed = DETAIL_FIELDS.filter((f) => {
    const before = stored[f];
    return (wanted[f] ?? '') !== (typeof before === 'string' ? before : '');
  });
  if (changed.length === 0) return [];
  try {
    await User.updateOne(
      { _id: id },
      { $set: Object.fromEntries(changed.map((f) => [f, wanted[f]])) },
      { runValidators: true },
    );
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError('email', 'validation.emailTaken');
    throw err;
  }
  await accountChanged();
  await recordAuditEvent({
    actorId,
    action: 'user.update',
    targetType: 'user',
    targetId: id,
    details: { fields: changed },
  });
  return changed;
}

/** Which of these emails (lowercased) an account already has, disabled ones included. */
export async function takenEmails(emails: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set([...emails].map((e) => String(e).toLowerCase().trim()))];
  const taken = new Set<string>();
  // In slices, so a 5,000-row import does not become one enormous $in.
  for (let i = 0; i < wanted.length; i += 1000) {
    const rows = await User.find({ email: { $in: wanted.slice(i, i + 1000) } }, { email: 1 }).lean();
    for (const r of rows) taken.add(r.email);
  }
  return taken;
}

/** A person brought in by an import, already checked. */
export interface ImportedPerson {
  _id: Types.ObjectId;
  email: string;
  displayName: string;
  localName: string;
  organisation: string;
  province: string;
  roles: Role[];
  status: UserStatus;
}

/**
 * A password hash nobody can match, for accounts made by an import: the secret is thrown away at once,
 * so the owner signs in only after a password link. One argon2 hash per import, not per person (5,000
 * hashes would take minutes); being a real hash, a sign-in attempt costs the same time as for anyone.
 */
export async function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}

/**
 * Inserts imported people as part of the caller's transaction. A duplicate email (someone made the same
 * account since the check) fails the whole insert, and with it the transaction.
 */
export async function insertImportedPeople(
  people: ImportedPerson[],
  passwordHash: string,
  session: ClientSession,
): Promise<void> {
  const now = new Date();
  await User.collection.insertMany(
    people.map((p) => ({
      ...p,
      passwordHash,
      locale: 'en',
      sessionGeneration: 0,
      credentialVersion: 0,
      showNameOnVerification: false,
      createdAt: now,
      updatedAt: now,
    })),
    { session, ordered: true },
  );
}

/** After the import's transaction committed: no instance may keep serving what it read before. */
export async function peopleImported(): Promise<void> {
  await accountChanged();
}
