import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { isDuplicateKey, ValidationError } from '../core/app-error.js';
import { isLocale, type Locale } from '../core/i18n.js';
import { DEFAULT_PER_PAGE, paginate, type Page } from '../core/pagination.js';
import { sharedCache, signalChange } from '../core/shared-cache.js';
import { isRole, type Role } from '../core/roles.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { hashPassword, spendVerifyTime, verifyPassword } from './passwords.js';
import { passwordProblem } from '../core/password-policy.js';
import { User, type UserStatus } from './user.model.js';

export { USER_STATUSES, type UserStatus } from './user.model.js';

const USERS_CHANGED = 'users';

/** What the session knows about the signed-in person; loaded fresh on every request. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: Locale;
  /** Sessions made with another value have been ended (see the model). */
  sessionGeneration: number;
  /** Password links and trusted devices made with another value are void (see the model). */
  credentialVersion: number;
}

export interface UserSummary extends SessionUser {
  status: UserStatus;
  createdAt: Date | undefined;
  /** Name in Dari/Pashto script, for certificates. */
  localName: string;
  /** Organisation and province: for staff pages only (a member's own pages never show them). */
  organisation: string;
  province: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  /** Absent: the account gets an unusable random password and its owner sets one through a password link. */
  password?: string;
  roles: Role[];
  locale?: string;
  localName?: string;
  organisation?: string;
  province?: string;
}

export interface UserRow {
  _id: unknown;
  email: string;
  displayName: string;
  roles: string[];
  locale?: string | null;
  status?: string | null;
  localName?: string | null;
  organisation?: string | null;
  province?: string | null;
  sessionGeneration?: number | null;
  credentialVersion?: number | null;
  createdAt?: Date;
}

function toSessionUser(u: UserRow): SessionUser {
  return {
    id: String(u._id),
    email: u.email,
    displayName: u.displayName,
    roles: u.roles.filter(isRole),
    locale: isLocale(u.locale) ? u.locale : 'en',
    sessionGeneration: u.sessionGeneration ?? 0,
    credentialVersion: u.credentialVersion ?? 0,
  };
}

export function toSummary(u: UserRow): UserSummary {
  return {
    ...toSessionUser(u),
    status: u.status === 'disabled' ? 'disabled' : 'active',
    createdAt: u.createdAt,
    localName: u.localName ?? '',
    organisation: u.organisation ?? '',
    province: u.province ?? '',
  };
}

export function validId(id: string): boolean {
  return typeof id === 'string' && Types.ObjectId.isValid(id);
}

export async function anyUserExists(): Promise<boolean> {
  return (await User.exists({})) !== null;
}

export async function createUser(input: NewUser, actorId: string | null = null): Promise<SessionUser> {
  const email = String(input.email).toLowerCase().trim();
  const password = input.password ?? randomBytes(32).toString('base64url');
  if (input.password !== undefined) checkPassword(input.password, email);
  const roles = [...new Set(input.roles)].sort();
  try {
    const user = await User.create({
      email,
      displayName: String(input.displayName),
      passwordHash: await hashPassword(password),
      roles: roles.length ? roles : ['member'],
      locale: isLocale(input.locale) ? input.locale : 'en',
      localName: input.localName ?? '',
      organisation: input.organisation ?? '',
      province: input.province ?? '',
    });
    if (actorId) {
      await recordAuditEvent({
        actorId,
        action: 'user.create',
        targetType: 'user',
        targetId: String(user._id),
        details: { roles: user.roles },
      });
    }
    return toSessionUser(user);
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError('email', 'validation.emailTaken');
    throw err;
  }
}

/** Signed-in people, read on every request: kept in memory and dropped on any change (see shared-cache). */
const sessionUsers = sharedCache<SessionUser | null>(USERS_CHANGED);

/** The active account with this email, if any (for naming a co-author). */
export async function findUserByEmail(email: string): Promise<SessionUser | null> {
  const user = await User.findOne({ email: String(email).toLowerCase().trim(), status: 'active' })
    .setOptions({ sanitizeFilter: true })
    .lean();
  return user ? toSessionUser(user) : null;
}

/** The active account with this id, as a signed-in session sees it; null when gone or disabled. */
export async function findSessionUser(id: string): Promise<SessionUser | null> {
  if (!validId(id)) return null;
  return sessionUsers.get(id, async () => {
    const user = await User.findOne({ _id: id, status: 'active' }).lean();
    return user ? toSessionUser(user) : null;
  });
}

/** Every change to an account goes through here, so that no instance keeps serving the old one. */
export async function accountChanged(): Promise<void> {
  await signalChange(USERS_CHANGED);
}

export async function findUserSummary(id: string): Promise<UserSummary | null> {
  if (!validId(id)) return null;
  const u = await User.findById(id).lean();
  return u ? toSummary(u) : null;
}

/** People, newest first, one page at a time. */
export async function listUsers(page: number, perPage = DEFAULT_PER_PAGE): Promise<Page<UserSummary>> {
  return paginate(
    page,
    perPage,
    async (skip, limit) =>
      (await User.find({}).sort({ createdAt: -1, _id: -1 }).skip(skip).limit(limit).lean()).map(toSummary),
    () => User.countDocuments({}),
  );
}

/** Display names by id, for lines that mention people (audit events); unknown or malformed ids are left out. */
export async function displayNames(ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter(validId);
  if (wanted.length === 0) return new Map();
  const rows = await User.find({ _id: { $in: wanted } }, { displayName: 1 }).lean();
  return new Map(rows.map((r) => [String(r._id), r.displayName]));
}

/** An active account found by its email for a sign-in; its password hash stays in here. */
export interface LoginAccount {
  user: SessionUser;
  matches(password: string): Promise<boolean>;
}

/** The one read a sign-in needs: the active account with this email, if there is one. */
export async function findLoginAccount(email: string): Promise<LoginAccount | null> {
  const row = await User.findOne({ email: String(email), status: 'active' })
    .setOptions({ sanitizeFilter: true })
    .lean();
  if (!row) return null;
  return { user: toSessionUser(row), matches: (password) => verifyPassword(row.passwordHash, password) };
}

/** Costs what a password check costs, so an unknown email answers as slowly as a known one. */
export async function spendPasswordCheckTime(password: string): Promise<void> {
  await spendVerifyTime(password);
}

export async function setLocale(userId: string, locale: Locale): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { locale } });
  await accountChanged();
}

/** A new password that passed the rules and has been hashed, ready to be stored. */
export interface PreparedPassword {
  readonly hash: string;
}

/** Refuses (ValidationError on "password") a new password that breaks a rule. */
export function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, { email });
  if (problem) throw new ValidationError('password', problem);
}

/** Checks a new password against the rules and hashes it (the slow step), before anything is changed. */
export async function preparePassword(password: string, email: string): Promise<PreparedPassword> {
  checkPassword(password, email);
  return { hash: await hashPassword(password) };
}

/** How a person is named on certificates, and whether the public verification page may show it. */
export interface CertificateIdentity {
  id: string;
  email: string;
  displayName: string;
  localName: string;
  showNameOnVerification: boolean;
}

export async function certificateIdentities(
  ids: Iterable<string>,
): Promise<Map<string, CertificateIdentity>> {
  const valid = [...new Set(ids)].filter(validId);
  const rows = await User.find(
    { _id: { $in: valid } },
    { email: 1, displayName: 1, localName: 1, showNameOnVerification: 1 },
  ).lean();
  return new Map(
    rows.map((u) => [
      String(u._id),
      {
        id: String(u._id),
        email: u.email,
        displayName: u.displayName,
        localName: u.localName ?? '',
        showNameOnVerification: u.showNameOnVerification === true,
      },
    ]),
  );
}

/** A person's own choice of the names on their certificates and whether verification may show them. */
export async function setCertificateIdentity(
  userId: string,
  fields: { displayName: string; localName: string; showNameOnVerification: boolean },
): Promise<void> {
  if (!validId(userId)) return;
  await User.updateOne({ _id: userId }, { $set: fields }, { runValidators: true });
  await accountChanged();
}

/** What a member export holds of each person, every account, oldest first, one at a time. */
export interface PersonRow {
  id: string;
  email: string;
  displayName: string;
  localName: string;
  organisation: string;
  province: string;
  roles: string[];
  status: string;
}

const PERSON_FIELDS = {
  email: 1,
  displayName: 1,
  localName: 1,
  organisation: 1,
  province: 1,
  roles: 1,
  status: 1,
};

function toPersonRow(
  u: UserRow & { localName?: string | null; organisation?: string | null; province?: string | null },
): PersonRow {
  return {
    id: String(u._id),
    email: u.email,
    displayName: u.displayName,
    localName: u.localName ?? '',
    organisation: u.organisation ?? '',
    province: u.province ?? '',
    roles: u.roles,
    status: u.status ?? 'active',
  };
}

export async function* everyPerson(): AsyncGenerator<PersonRow> {
  const cursor = User.find({}, PERSON_FIELDS)
    .sort({ createdAt: 1, _id: 1 })
    .lean()
    .cursor({ batchSize: 200 });
  for await (const u of cursor) yield toPersonRow(u);
}

/** Active accounts by email (lowercased), for forms that name people by email; unknown ones are absent. */
export async function activeUsersByEmail(emails: Iterable<string>): Promise<Map<string, SessionUser>> {
  const wanted = [...new Set([...emails].map((e) => String(e).toLowerCase().trim()))].slice(0, 5000);
  if (wanted.length === 0) return new Map();
  const rows = await User.find({ email: { $in: wanted }, status: 'active' }).lean();
  return new Map(rows.map((u) => [u.email, toSessionUser(u)]));
}

/** The people with these ids, as an export row (names in both scripts, organisation, province). */
export async function peopleByIds(ids: Iterable<string>): Promise<Map<string, PersonRow>> {
  const wanted = [...new Set(ids)].filter(validId);
  if (wanted.length === 0) return new Map();
  const rows = await User.find({ _id: { $in: wanted } }, PERSON_FIELDS).lean();
  return new Map(rows.map((u) => [String(u._id), toPersonRow(u)]));
}
