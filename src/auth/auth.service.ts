import { User } from '../users/user.model.js';
import type { SessionUser } from '../users/users.service.js';
import { findSessionUser } from '../users/users.service.js';
import { LoginThrottle } from './login-throttle.model.js';
import { spendVerifyTime, verifyPassword } from './passwords.js';

export interface LoginPolicy {
  /** Failures in a row that lock an account. */
  maxFailures: number;
  lockMs: number;
  /** Failures allowed per IP + email within one window, across all instances. */
  maxAttemptsPerWindow: number;
  /** Failures allowed from one IP over all emails (password spraying); higher, as a venue may share one IP. */
  maxAttemptsPerIp: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  maxFailures: 5,
  lockMs: 15 * 60 * 1000,
  maxAttemptsPerWindow: 10,
  maxAttemptsPerIp: 100,
  windowMs: 15 * 60 * 1000,
};

export type LoginResult =
  { ok: true; user: SessionUser } | { ok: false; reason: 'invalid' | 'locked' | 'throttled' };

function throttleKey(ip: string, email: string): string {
  return `${ip}|${email}`;
}

function ipKey(ip: string): string {
  return `ip|${ip}`;
}

async function isThrottled(key: string, limit: number): Promise<boolean> {
  const row = await LoginThrottle.findOne({ _id: key, expiresAt: { $gt: new Date() } }).lean();
  return (row?.count ?? 0) >= limit;
}

/** One atomic upsert per failure, so concurrent attempts on several instances all count; returns the new count. */
async function countFailure(key: string, windowMs: number): Promise<number> {
  const now = new Date();
  // An expired window that the TTL monitor has not removed yet is reset rather than extended.
  await LoginThrottle.deleteOne({ _id: key, expiresAt: { $lte: now } });
  const row = await LoginThrottle.findOneAndUpdate(
    { _id: key },
    { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(now.getTime() + windowMs) } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return row?.count ?? 1;
}

function unknownKey(email: string): string {
  return `unknown|${email}`;
}

/**
 * An email without an account "locks" after as many failures as a real account would, for as long, so the
 * locked message cannot be used to find out which email addresses have an account here.
 */
async function countUnknownFailure(email: string, policy: LoginPolicy): Promise<boolean> {
  const count = await countFailure(unknownKey(email), policy.lockMs);
  if (count < policy.maxFailures) return false;
  if (count === policy.maxFailures) {
    await LoginThrottle.updateOne(
      { _id: unknownKey(email) },
      { $set: { expiresAt: new Date(Date.now() + policy.lockMs) } },
    );
  }
  return true;
}

/** Counts a failed password on the account and locks it once the limit is reached; returns true when now locked. */
async function countAccountFailure(userId: unknown, policy: LoginPolicy): Promise<boolean> {
  const updated = await User.findOneAndUpdate(
    { _id: userId },
    { $inc: { failedLogins: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated || updated.failedLogins < policy.maxFailures) return false;
  await User.updateOne(
    { _id: userId, failedLogins: { $gte: policy.maxFailures } },
    { $set: { lockUntil: new Date(Date.now() + policy.lockMs), failedLogins: 0 } },
  );
  return true;
}

export async function authenticate(
  emailInput: string,
  password: string,
  ip: string,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): Promise<LoginResult> {
  const email = String(emailInput).toLowerCase().trim();
  const key = throttleKey(String(ip), email);
  const perIp = ipKey(String(ip));
  if (
    (await isThrottled(key, policy.maxAttemptsPerWindow)) ||
    (await isThrottled(perIp, policy.maxAttemptsPerIp))
  ) {
    return { ok: false, reason: 'throttled' };
  }
  const fail = async () => {
    await countFailure(key, policy.windowMs);
    await countFailure(perIp, policy.windowMs);
  };

  const user = await User.findOne({ email, status: 'active' }).setOptions({ sanitizeFilter: true }).lean();
  if (!user) {
    if (await isThrottled(unknownKey(email), policy.maxFailures)) {
      await fail();
      return { ok: false, reason: 'locked' };
    }
    await spendVerifyTime(password);
    await fail();
    return { ok: false, reason: (await countUnknownFailure(email, policy)) ? 'locked' : 'invalid' };
  }
  if (user.lockUntil && user.lockUntil.getTime() > Date.now()) {
    await fail();
    return { ok: false, reason: 'locked' };
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    await fail();
    return { ok: false, reason: (await countAccountFailure(user._id, policy)) ? 'locked' : 'invalid' };
  }
  if (user.failedLogins > 0 || user.lockUntil) {
    await User.updateOne({ _id: user._id }, { $set: { failedLogins: 0, lockUntil: null } });
  }
  await LoginThrottle.deleteOne({ _id: key });
  const sessionUser = await findSessionUser(String(user._id));
  return sessionUser ? { ok: true, user: sessionUser } : { ok: false, reason: 'invalid' };
}
