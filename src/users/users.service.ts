import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError, isDuplicateKey, ValidationError } from '../core/app-error.js';
import { isLocale, type Locale } from '../core/i18n.js';
import { isRole, type Role } from '../core/roles.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { hashPassword, spendVerifyTime, verifyPassword } from './passwords.js';
import { passwordProblem } from './password-policy.js';
import { User, type UserStatus } from './user.model.js';

export { USER_STATUSES, type UserStatus } from './user.model.js';

/** What the session knows about the signed-in person; loaded fresh on every request. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: Locale;
  /** Sessions made with another value have been ended (see the model). */
  sessionGeneration: number;
}

export interface UserSummary extends SessionUser {
  status: UserStatus;
  createdAt: Date | undefined;
}

export interface NewUser {
  email: string;
  displayName: string;
  /** Absent: the account gets an unusable random password and its owner sets one through a password link. */
  password?: string;
  roles: Role[];
  locale?: string;
}

interface UserRow {
  _id: unknown;
  email: string;
  displayName: string;
  roles: string[];
  locale?: string | null;
  status?: string | null;
  sessionGeneration?: number | null;
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
  };
}

function toSummary(u: UserRow): UserSummary {
  return {
    ...toSessionUser(u),
    status: u.status === 'disabled' ? 'disabled' : 'active',
    createdAt: u.createdAt,
  };
}

function validId(id: string): boolean {
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

export async function findSessionUser(id: string): Promise<SessionUser | null> {
  if (!validId(id)) return null;
  const user = await User.findOne({ _id: id, status: 'active' }).lean();
  return user ? toSessionUser(user) : null;
}

export async function findUserSummary(id: string): Promise<UserSummary | null> {
  if (!validId(id)) return null;
  const u = await User.findById(id).lean();
  return u ? toSummary(u) : null;
}

export async function listUsers(limit = 200): Promise<UserSummary[]> {
  const users = await User.find({}).sort({ createdAt: -1 }).limit(limit).lean();
  return users.map(toSummary);
}

/**
 * The one read a sign-in needs: the active account with this email, if its password matches. An unknown
 * email costs the same hashing time, so the response time does not reveal which emails have an account.
 */
export async function verifyCredentials(email: string, password: string): Promise<SessionUser | null> {
  const user = await User.findOne({ email: String(email), status: 'active' })
    .setOptions({ sanitizeFilter: true })
    .lean();
  if (!user) {
    await spendVerifyTime(password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? toSessionUser(user) : null;
}

/**
 * Changes a person's account atomically, only if nobody changed it since `read` (the session generation
 * acts as a version), and raises the generation so their sessions and password link end. Retries a few
 * times when another change got in between.
 */
async function changeAccount(
  targetId: string,
  change: (current: UserSummary) => Record<string, unknown> | null,
): Promise<{ before: UserSummary; generation: number } | null> {
  if (!validId(targetId)) throw AppError.notFound();
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await findUserSummary(targetId);
    if (!current) throw AppError.notFound();
    const set = change(current);
    if (!set) return null;
    const updated = await User.updateOne(
      { _id: targetId, sessionGeneration: current.sessionGeneration },
      Object.keys(set).length
        ? { $set: set, $inc: { sessionGeneration: 1 } }
        : { $inc: { sessionGeneration: 1 } },
    );
    if (updated.matchedCount === 1) return { before: current, generation: current.sessionGeneration + 1 };
  }
  throw new AppError(409, 'errors.conflict');
}

/**
 * Replaces a person's roles and keeps the change as an audit event; their sessions end and a pending
 * password link is void, since it was issued for the roles they had. An admin cannot remove their own admin
 * role, and the organisation never ends up without an active admin: nobody else could then change roles.
 * Returns the new session generation, or null when nothing changed.
 */
export async function setRoles(targetId: string, roles: Role[], actorId: string): Promise<number | null> {
  const wanted = [...new Set(roles)].sort();
  // Someone with no role could sign in but see nothing; an account to keep out is for a status change.
  if (wanted.length === 0) throw new ValidationError('roles', 'validation.rolesRequired');
  if (targetId === actorId && !wanted.includes('admin'))
    throw new ValidationError('roles', 'validation.keepOwnAdmin');
  const result = await changeAccount(targetId, (current) =>
    [...current.roles].sort().join() === wanted.join() ? null : { roles: wanted },
  );
  if (!result) return null;
  const previous = [...result.before.roles].sort();
  if (previous.includes('admin') && !wanted.includes('admin'))
    await keepAnAdmin(targetId, 'roles', { $addToSet: { roles: 'admin' } });
  await recordAuditEvent({
    actorId,
    action: 'user.roles.change',
    targetType: 'user',
    targetId,
    details: { from: previous, to: wanted },
  });
  return result.generation;
}

/**
 * Checked after the write rather than before: of two admins removing each other at the same moment, each
 * then sees no admin left and puts its target back, so the pair can never both disappear.
 */
async function keepAnAdmin(targetId: string, field: string, undo: Record<string, unknown>): Promise<void> {
  if ((await User.countDocuments({ roles: 'admin', status: 'active' })) > 0) return;
  await User.updateOne({ _id: targetId }, undo);
  throw new ValidationError(field, 'validation.lastAdmin');
}

/** Disables an account (it keeps its history; the person can no longer sign in) or enables it again. */
export async function setStatus(targetId: string, status: UserStatus, actorId: string): Promise<void> {
  if (targetId === actorId && status !== 'active')
    throw new ValidationError('status', 'validation.disableSelf');
  const result = await changeAccount(targetId, (current) => (current.status === status ? null : { status }));
  if (!result) return;
  if (status === 'disabled' && result.before.roles.includes('admin'))
    await keepAnAdmin(targetId, 'status', { $set: { status: 'active' } });
  await recordAuditEvent({
    actorId,
    action: 'user.status.change',
    targetType: 'user',
    targetId,
    details: { from: result.before.status, to: status },
  });
}

/** "Sign out everywhere": every session of the person ends at its next request. Returns the new generation. */
export async function endSessions(targetId: string, actorId: string): Promise<number> {
  const result = await changeAccount(targetId, () => ({}));
  await recordAuditEvent({ actorId, action: 'user.sessions.end', targetType: 'user', targetId });
  return result!.generation;
}

export async function setLocale(userId: string, locale: Locale): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { locale } });
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

/**
 * Stores a new password, raising the session generation so every existing session ends. With
 * `expectedGeneration`, only when the account has not changed since (a password link is bound to it).
 * Returns the new generation, or null when the account changed, is disabled or is gone.
 */
export async function setPassword(
  userId: string,
  prepared: PreparedPassword,
  expectedGeneration?: number,
): Promise<number | null> {
  if (!validId(userId)) return null;
  const filter: Record<string, unknown> = { _id: userId, status: 'active' };
  if (expectedGeneration !== undefined) filter.sessionGeneration = expectedGeneration;
  const updated = await User.findOneAndUpdate(
    filter,
    { $set: { passwordHash: prepared.hash }, $inc: { sessionGeneration: 1 } },
    { returnDocument: 'after', projection: { sessionGeneration: 1 } },
  ).lean();
  return updated ? (updated.sessionGeneration ?? 0) : null;
}
