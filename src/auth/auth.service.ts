import { findLoginAccount, spendPasswordCheckTime, type SessionUser } from '../users/users.service.js';
import { clearCounters, extendWindow, reserveAttempt, returnAttempt } from './login-throttle.js';

export interface LoginPolicy {
  /** Failed passwords that lock an account (or, for a trusted device, that device) for `lockMs`. */
  maxFailures: number;
  lockMs: number;
  /** Attempts allowed per IP + email within one window, across all instances. */
  maxAttemptsPerWindow: number;
  /** Attempts allowed from one IP over all emails (password spraying); higher, as a venue may share one IP. */
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

export type LoginRefusal = 'invalid' | 'locked' | 'throttled';

export type LoginResult =
  | { ok: true; user: SessionUser }
  /** `checked`: whether the password was compared at all (false when a limit refused the attempt first). */
  | { ok: false; reason: LoginRefusal; checked: boolean };

export interface LoginClient {
  ip: string;
  /**
   * The device id, when the request carries a device cookie issued at an earlier sign-in to this account
   * as it is now (its credential version).
   */
  trustedDevice?: (credentialVersion: number) => string | undefined;
}

interface Gate {
  key: string;
  limit: number;
  windowMs: number;
  refusal: LoginRefusal;
  /** What a successful sign-in does with the attempt it reserved. */
  onSuccess: 'clear' | 'return';
}

/**
 * A device that has signed in to this account before is counted on its own: a stranger's five wrong
 * passwords lock the account for other devices but not for the owner's phone, and a venue behind one
 * address does not share its limit with the owner. Untrusted devices are counted per IP and email, per IP,
 * and per account; the first gate that refuses names the answer.
 */
function gatesFor(email: string, ip: string, device: string | undefined, policy: LoginPolicy): Gate[] {
  if (device) {
    return [
      {
        key: `device|${device}`,
        limit: policy.maxFailures,
        windowMs: policy.lockMs,
        refusal: 'locked',
        onSuccess: 'clear',
      },
    ];
  }
  // The per-IP gate comes first: a client it refuses must not create or fill counters for any email, or one
  // address could lock any number of accounts, and fill the store with counters.
  return [
    {
      key: `ip|${ip}`,
      limit: policy.maxAttemptsPerIp,
      windowMs: policy.windowMs,
      refusal: 'throttled',
      onSuccess: 'return',
    },
    {
      key: `ip-email|${ip}|${email}`,
      limit: policy.maxAttemptsPerWindow,
      windowMs: policy.windowMs,
      refusal: 'throttled',
      onSuccess: 'clear',
    },
    // Keyed by the email, not the account, so an email without an account locks exactly like one with an
    // account: the "locked" message cannot tell anyone which addresses are registered here.
    {
      key: accountKey(email),
      limit: policy.maxFailures,
      windowMs: policy.lockMs,
      refusal: 'locked',
      onSuccess: 'clear',
    },
  ];
}

function accountKey(email: string): string {
  return `account|${email}`;
}

/**
 * Every limit takes its attempt before the password is checked (see reserveAttempt), one after the other,
 * so a refused attempt counts only against the gates it reached; a failure keeps them, a success gives
 * them back. The last gate is the lock: the failure that fills it locks for the full `lockMs` from that
 * moment. The account is read first (once), since a trusted device is recognised by its credential version.
 */
export async function authenticate(
  email: string,
  password: string,
  client: LoginClient,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): Promise<LoginResult> {
  const account = await findLoginAccount(email);
  const device = account ? client.trustedDevice?.(account.user.credentialVersion) : undefined;
  const gates = gatesFor(email, client.ip, device, policy);
  let lockCount = 0;
  for (const gate of gates) {
    lockCount = await reserveAttempt(gate.key, gate.windowMs);
    if (lockCount > gate.limit) return { ok: false, reason: gate.refusal, checked: false };
  }
  let user: SessionUser | null = null;
  if (!account) await spendPasswordCheckTime(password);
  else if (await account.matches(password)) user = account.user;
  if (user) {
    await Promise.all([
      clearCounters(gates.filter((g) => g.onSuccess === 'clear').map((g) => g.key)),
      ...gates.filter((g) => g.onSuccess === 'return').map((g) => returnAttempt(g.key)),
    ]);
    return { ok: true, user };
  }
  const lock = gates[gates.length - 1]!;
  if (lockCount < lock.limit) return { ok: false, reason: 'invalid', checked: true };
  await extendWindow(lock.key, policy.lockMs);
  return { ok: false, reason: 'locked', checked: true };
}

/** A new password set through a link also lifts a lock on the account: its owner has just proved who they are. */
export async function liftAccountLock(email: string): Promise<void> {
  await clearCounters([accountKey(email)]);
}
