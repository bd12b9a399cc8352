import { randomBytes } from 'node:crypto';
import { AppError, ValidationError } from '../core/app-error.js';
import { mayManage, type Role } from '../core/roles.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { hashPassword } from './passwords.js';
import { User, type UserStatus } from './user.model.js';
import {
  accountChanged,
  findUserSummary,
  validId,
  type PreparedPassword,
  type UserSummary,
} from './users.service.js';

/**
 * Changes to who can get into an account: roles, status, password, sessions. Each raises the account's
 * session generation (every session ends) and, except "sign out everywhere", its credential version (a
 * pending password link and trusted devices become void). See the user model.
 */

/** A counter as stored: accounts made before the counter existed have none, which reads as 0. */
function storedAs(value: number): number | { $in: (number | null)[] } {
  return value === 0 ? { $in: [0, null] } : value;
}

interface ChangeOptions {
  /**
   * The session generation the caller acts from, when they change their own account: if it has moved on
   * (their session was ended meanwhile), nothing changes. Without it, a change retries on whatever is current.
   */
  asOf?: number;
}

type Changed = { before: UserSummary; generation: number } | 'unchanged' | 'stale';

/**
 * Changes an account's roles or status atomically, only if nobody changed it since it was read (the
 * session generation acts as a version), raising both counters. Retries when another change got in between.
 */
async function changeAccount(
  targetId: string,
  change: (current: UserSummary) => Record<string, unknown> | null,
  options: ChangeOptions,
): Promise<Changed> {
  if (!validId(targetId)) throw AppError.notFound();
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const current = await findUserSummary(targetId);
    if (!current) throw AppError.notFound();
    if (options.asOf !== undefined && current.sessionGeneration !== options.asOf) return 'stale';
    const set = change(current);
    if (!set) return 'unchanged';
    const updated = await User.updateOne(
      { _id: targetId, sessionGeneration: storedAs(current.sessionGeneration) },
      { $set: set, $inc: { sessionGeneration: 1, credentialVersion: 1 } },
    );
    if (updated.matchedCount === 1) {
      await accountChanged();
      return { before: current, generation: current.sessionGeneration + 1 };
    }
    if (options.asOf !== undefined) return 'stale';
  }
  throw new AppError(409, 'errors.conflict');
}

export interface RolesChange {
  /** The person's new session generation. */
  generation: number;
  /**
   * The person's password was replaced by an unusable one: they moved beyond what coordinators manage, and a
   * coordinator could have known the old password (coordinators may set members' and trainers' passwords).
   * Someone allowed to manage the new roles must hand over a new password link.
   */
  passwordReset: boolean;
}

/**
 * Replaces a person's roles and keeps the change as an audit event; their sessions end and a pending
 * password link is void, since it was issued for the roles they had. An admin cannot remove their own admin
 * role, and the organisation never ends up without an active admin: nobody else could then change roles.
 * Returns null when nothing changed (or, with `asOf`, when the caller's own session had ended).
 */
export async function setRoles(
  targetId: string,
  roles: Role[],
  actorId: string,
  asOf?: number,
): Promise<RolesChange | null> {
  const wanted = [...new Set(roles)].sort();
  // Someone with no role could sign in but see nothing; an account to keep out is for a status change.
  if (wanted.length === 0) throw new ValidationError('roles', 'validation.rolesRequired');
  if (targetId === actorId && !wanted.includes('admin'))
    throw new ValidationError('roles', 'validation.keepOwnAdmin');
  const coordinator = { roles: ['coordinator'] };
  // Hashed only when the new roles are beyond coordinators at all (the slow step, done before the write).
  const unusable = mayManage(coordinator, { roles: wanted })
    ? ''
    : await hashPassword(randomBytes(32).toString('base64url'));
  let passwordReset = false;
  const result = await changeAccount(
    targetId,
    (current) => {
      if ([...current.roles].sort().join() === wanted.join()) return null;
      passwordReset = mayManage(coordinator, current) && !mayManage(coordinator, { roles: wanted });
      return passwordReset ? { roles: wanted, passwordHash: unusable } : { roles: wanted };
    },
    { asOf },
  );
  if (typeof result === 'string') return null;
  const previous = [...result.before.roles].sort();
  if (previous.includes('admin') && !wanted.includes('admin'))
    await keepAnAdmin(targetId, 'roles', { $addToSet: { roles: 'admin' } });
  await recordAuditEvent({
    actorId,
    action: 'user.roles.change',
    targetType: 'user',
    targetId,
    details: { from: previous, to: wanted, ...(passwordReset ? { passwordReset: true } : {}) },
  });
  return { generation: result.generation, passwordReset };
}

/**
 * Checked after the write rather than before: of two admins removing each other at the same moment, each
 * then sees no admin left and puts its target back, so the pair can never both disappear.
 */
async function keepAnAdmin(targetId: string, field: string, undo: Record<string, unknown>): Promise<void> {
  if ((await User.countDocuments({ roles: 'admin', status: 'active' })) > 0) return;
  await User.updateOne({ _id: targetId }, undo);
  await accountChanged();
  throw new ValidationError(field, 'validation.lastAdmin');
}

/** Disables an account (it keeps its history; the person can no longer sign in) or enables it again. */
export async function setStatus(targetId: string, status: UserStatus, actorId: string): Promise<void> {
  if (targetId === actorId && status !== 'active')
    throw new ValidationError('status', 'validation.disableSelf');
  const result = await changeAccount(
    targetId,
    (current) => (current.status === status ? null : { status }),
    {},
  );
  if (typeof result === 'string') return;
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

/**
 * "Sign out everywhere": every session of the person ends at its next request. A pending password link
 * stays valid (staff may just have handed it over). One atomic $inc, so any number at once all count.
 * Returns the new generation, or null when `asOf` says the caller's own session had already ended, so a
 * stolen session cannot outlive a reset by racing it.
 */
export async function endSessions(targetId: string, actorId: string, asOf?: number): Promise<number | null> {
  if (!validId(targetId)) throw AppError.notFound();
  const filter: Record<string, unknown> = { _id: targetId };
  if (asOf !== undefined) filter.sessionGeneration = storedAs(asOf);
  const updated = await User.findOneAndUpdate(
    filter,
    { $inc: { sessionGeneration: 1 } },
    { returnDocument: 'after', projection: { sessionGeneration: 1 } },
  ).lean();
  if (!updated) {
    if (asOf !== undefined) return null;
    throw AppError.notFound();
  }
  await accountChanged();
  await recordAuditEvent({ actorId, action: 'user.sessions.end', targetType: 'user', targetId });
  return updated.sessionGeneration ?? 1;
}

/** What a new password must find unchanged to be stored. */
export type PasswordGuard =
  /** The caller's own session generation (changing one's own password). */
  | { sessionGeneration: number }
  /** The credential version a password link was issued for. */
  | { credentialVersion: number };

/**
 * Stores a new password if the account is active and unchanged (see PasswordGuard), raising both counters:
 * every session ends, and any other link or trusted device is void. Returns the new session generation,
 * or null when the guard failed.
 */
export async function setPassword(
  userId: string,
  prepared: PreparedPassword,
  guard: PasswordGuard,
): Promise<number | null> {
  if (!validId(userId)) return null;
  const filter: Record<string, unknown> = { _id: userId, status: 'active' };
  if ('sessionGeneration' in guard) filter.sessionGeneration = storedAs(guard.sessionGeneration);
  else filter.credentialVersion = storedAs(guard.credentialVersion);
  const updated = await User.findOneAndUpdate(
    filter,
    { $set: { passwordHash: prepared.hash }, $inc: { sessionGeneration: 1, credentialVersion: 1 } },
    { returnDocument: 'after', projection: { sessionGeneration: 1 } },
  ).lean();
  if (!updated) return null;
  await accountChanged();
  await recordAuditEvent({
    actorId: userId,
    action: 'sessionGeneration' in guard ? 'user.password.change' : 'user.password.link-used',
    targetType: 'user',
    targetId: userId,
  });
  return updated.sessionGeneration ?? 0;
}
