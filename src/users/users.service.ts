import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError } from '../core/app-error.js';
import { hashPassword } from '../auth/passwords.js';
import { passwordProblem } from '../auth/password-policy.js';
import { ResetToken } from '../auth/reset-token.model.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { isLocale, type Locale } from '../core/i18n.js';
import { User, isRole, type Role } from './user.model.js';

/** What the session knows about the signed-in person; loaded fresh on every request. */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: Locale;
}

export interface UserSummary extends SessionUser {
  status: string;
  createdAt: Date | undefined;
}

export interface NewUser {
  email: string;
  displayName: string;
  /** Absent: the account gets an unusable random password and its owner sets one through a reset link. */
  password?: string;
  roles: Role[];
  locale?: string;
}

export class ValidationError extends AppError {
  constructor(
    readonly field: string,
    key: string,
  ) {
    super(422, key, { field });
  }
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}

function toSessionUser(u: {
  _id: unknown;
  email: string;
  displayName: string;
  roles: string[];
  locale?: string | null;
}): SessionUser {
  return {
    id: String(u._id),
    email: u.email,
    displayName: u.displayName,
    roles: u.roles.filter(isRole),
    locale: isLocale(u.locale) ? u.locale : 'en',
  };
}

export async function anyUserExists(): Promise<boolean> {
  return (await User.exists({})) !== null;
}

export async function createUser(input: NewUser, actorId: string | null = null): Promise<SessionUser> {
  const password = input.password ?? randomBytes(32).toString('base64url');
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, { email: input.email });
    if (problem) throw new ValidationError('password', problem);
  }
  const roles = [...new Set(input.roles)];
  try {
    const user = await User.create({
      email: String(input.email).toLowerCase().trim(),
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
  if (!Types.ObjectId.isValid(id)) return null;
  const user = await User.findOne({ _id: id, status: 'active' }).lean();
  return user ? toSessionUser(user) : null;
}

export async function findUserSummary(id: string): Promise<UserSummary | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const u = await User.findById(id).lean();
  return u ? { ...toSessionUser(u), status: u.status, createdAt: u.createdAt } : null;
}

export async function listUsers(limit = 200): Promise<UserSummary[]> {
  const users = await User.find({}).sort({ createdAt: -1 }).limit(limit).lean();
  return users.map((u) => ({ ...toSessionUser(u), status: u.status, createdAt: u.createdAt }));
}

/**
 * Replaces a person's roles and keeps the change as an audit event. An admin cannot remove their own admin
 * role, and the organisation never ends up without an active admin: nobody else could then change roles.
 */
export async function setRoles(targetId: string, roles: Role[], actorId: string): Promise<void> {
  if (!Types.ObjectId.isValid(targetId)) throw AppError.notFound();
  const wanted = [...new Set(roles)].sort();
  // Someone with no role could sign in but see nothing; an account to keep out is for a status change.
  if (wanted.length === 0) throw new ValidationError('roles', 'validation.rolesRequired');
  if (targetId === actorId && !wanted.includes('admin'))
    throw new ValidationError('roles', 'validation.keepOwnAdmin');
  const before = await User.findOneAndUpdate({ _id: targetId }, { $set: { roles: wanted } }).lean();
  if (!before) throw AppError.notFound();
  const previous = [...before.roles].sort();
  if (previous.includes('admin') && !wanted.includes('admin')) {
    // Checked after the write rather than before: of two admins removing each other at the same moment,
    // each then sees no admin left and puts its target back, so the pair can never both disappear.
    if ((await User.countDocuments({ roles: 'admin', status: 'active' })) === 0) {
      await User.updateOne({ _id: targetId }, { $addToSet: { roles: 'admin' } });
      throw new ValidationError('roles', 'validation.lastAdmin');
    }
  }
  if (previous.join() === wanted.join()) return;
  await recordAuditEvent({
    actorId,
    action: 'user.roles.change',
    targetType: 'user',
    targetId,
    details: { from: previous, to: wanted },
  });
}

export async function setLocale(userId: string, locale: Locale): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { locale } });
}

export const RESET_TOKEN_TTL_MS = 72 * 3600 * 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a one-time reset token; the caller shows the link on screen (or mails it). Only its hash is stored. */
export async function issueResetToken(targetId: string, actorId: string): Promise<string> {
  if (!Types.ObjectId.isValid(targetId) || !(await User.exists({ _id: targetId }))) throw AppError.notFound();
  const token = randomBytes(32).toString('base64url');
  await ResetToken.create({
    tokenHash: hashToken(token),
    userId: targetId,
    createdBy: actorId,
    expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS),
  });
  await recordAuditEvent({ actorId, action: 'user.reset-link', targetType: 'user', targetId });
  return token;
}

export async function isResetTokenValid(token: string): Promise<boolean> {
  return (
    (await ResetToken.exists({
      tokenHash: hashToken(String(token)),
      usedAt: null,
      expiresAt: { $gt: new Date() },
    })) !== null
  );
}

/** Marks the token used atomically first, so the same link cannot set a password twice. */
export async function resetPassword(token: string, password: string): Promise<void> {
  const tokenHash = hashToken(String(token));
  const existing = await ResetToken.findOne({
    tokenHash,
    usedAt: null,
    expiresAt: { $gt: new Date() },
  }).lean();
  if (!existing) throw AppError.notFound('errors.resetInvalid');
  const user = await User.findById(existing.userId).lean();
  if (!user) throw AppError.notFound('errors.resetInvalid');
  const problem = passwordProblem(password, { email: user.email });
  if (problem) throw new ValidationError('password', problem);
  // Hashed before the claim: the slow step that can fail must not leave the link used and the password unset.
  const passwordHash = await hashPassword(password);
  const claimed = await ResetToken.findOneAndUpdate(
    { _id: existing._id, usedAt: null, expiresAt: { $gt: new Date() } },
    { $set: { usedAt: new Date() } },
  );
  if (!claimed) throw AppError.notFound('errors.resetInvalid');
  await User.updateOne({ _id: user._id }, { $set: { passwordHash, failedLogins: 0, lockUntil: null } });
}
