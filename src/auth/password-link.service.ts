import { createHash, randomBytes } from 'node:crypto';
import { AppError, isDuplicateKey } from '../core/app-error.js';
import { mayManage } from '../core/roles.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { setPassword } from '../users/user-access.service.js';
import {
  findSessionUser,
  findUserSummary,
  preparePassword,
  type SessionUser,
  type UserSummary,
} from '../users/users.service.js';
import { liftAccountLock } from './auth.service.js';
import { PasswordLink } from './password-link.model.js';

export const PASSWORD_LINK_TTL_MS = 72 * 3600 * 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(String(token)).digest('hex');
}

/**
 * Creates the person's one-time password link, replacing any earlier one; the caller shows it on screen (or
 * mails it). The issuer must be allowed to manage every role the person holds.
 */
export async function issuePasswordLink(targetId: string, issuer: SessionUser): Promise<string> {
  const person = await findUserSummary(targetId);
  if (!person) throw AppError.notFound();
  if (!mayManage(issuer, person)) throw AppError.forbidden();
  if (person.status !== 'active') throw new AppError(409, 'errors.accountDisabled');
  const token = randomBytes(32).toString('base64url');
  const link = {
    tokenHash: hashToken(token),
    createdBy: issuer.id,
    credentialVersion: person.credentialVersion,
    expiresAt: new Date(Date.now() + PASSWORD_LINK_TTL_MS),
  };
  const upsert = () => PasswordLink.updateOne({ userId: person.id }, { $set: link }, { upsert: true });
  try {
    await upsert();
  } catch (err) {
    // Two links issued at the same moment both tried to insert; the second now replaces the first.
    if (!isDuplicateKey(err)) throw err;
    await upsert();
  }
  await recordAuditEvent({ actorId: issuer.id, action: 'user.reset-link', targetType: 'user', targetId });
  return token;
}

interface LiveLink {
  linkId: unknown;
  credentialVersion: number;
  person: UserSummary;
}

/**
 * The link and its person, when it may still be used: not expired, the person active and unchanged since it
 * was issued, and its issuer still allowed to manage the person's roles (a coordinator's link must not
 * become an admin's password once the person is made an admin, nor outlive the coordinator's own rights).
 */
async function liveLink(token: string): Promise<LiveLink | null> {
  const link = await PasswordLink.findOne({
    tokenHash: hashToken(token),
    expiresAt: { $gt: new Date() },
  }).lean();
  if (!link) return null;
  const person = await findUserSummary(String(link.userId));
  if (!person || person.status !== 'active' || person.credentialVersion !== link.credentialVersion)
    return null;
  if (link.createdBy) {
    const issuer = await findSessionUser(String(link.createdBy));
    if (!issuer || !mayManage(issuer, person)) return null;
  }
  return { linkId: link._id, credentialVersion: link.credentialVersion, person };
}

/** The account a link is for, so its page can say whose password is being set; null when it is not usable. */
export async function passwordLinkAccount(token: string): Promise<UserSummary | null> {
  return (await liveLink(token))?.person ?? null;
}

/**
 * Sets the password through a link, once. The password is checked and hashed first (the slow step that
 * can fail must not use up the link), then the link is claimed by deleting it, then the password is stored
 * only if the account is still as it was when the link was issued. Storing it ends every session of the
 * account and voids trusted devices.
 */
export async function resetPassword(token: string, password: string): Promise<UserSummary> {
  const live = await liveLink(token);
  if (!live) throw AppError.notFound('errors.resetInvalid');
  const prepared = await preparePassword(password, live.person.email);
  const claimed = await PasswordLink.findOneAndDelete({ _id: live.linkId, tokenHash: hashToken(token) });
  if (!claimed) throw AppError.notFound('errors.resetInvalid');
  const generation = await setPassword(live.person.id, prepared, {
    credentialVersion: live.credentialVersion,
  });
  if (generation === null) throw AppError.notFound('errors.resetInvalid');
  await liftAccountLock(live.person.email);
  return { ...live.person, sessionGeneration: generation, credentialVersion: live.credentialVersion + 1 };
}
