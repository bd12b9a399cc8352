import { verifyCredentials, type SessionUser } from '../users/users.service.js';
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
  /** Set when the request carries a device cookie issued to this email at an earlier sign-in. */
  trustedDevice?: string;
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
function gatesFor(email: string, client: LoginClient, policy: LoginPolicy): Gate[] {
  if (client.trustedDevice) {
    return [
      {
        key: `device|${client.trustedDevice}`,
        limit: policy.maxFailures,
        windowMs: policy.lockMs,
        refusal: 'locked',
        onSuccess: 'clear',
      },
    ];
  }
  return [
    {
      key: `ip-email|${client.ip}|${email}`,
      limit: policy.maxAttemptsPerWindow,
      windowMs: policy.windowMs,
      refusal: 'throttled',
      onSuccess: 'clear',
    },
    {
      key: `ip|${client.ip}`,
      limit: policy.maxAttemptsPerIp,
      windowMs: policy.windowMs,
      refusal: 'throttled',
      onSuccess: 'return',
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
 * Every limit takes its attempt before the password is checked (see reserveAttempt), all at once; a
 * failure keeps them, a success gives them back. The last gate is the lock: the failure that fills it
 * locks for the full `lockMs` from that moment.
 */
export async function authenticate(
  email: string,
  password: string,
  client: LoginClient,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): Promise<LoginResult> {
  const gates = gatesFor(email, client, policy);
  const counts = await Promise.all(gates.map((g) => reserveAttempt(g.key, g.windowMs)));
  const refused = gates.find((g, i) => counts[i]! > g.limit);
  if (refused) return { ok: false, reason: refused.refusal, checked: false };
  const user = await verifyCredentials(email, password);
  if (user) {
    await Promise.all([
      clearCounters(gates.filter((g) => g.onSuccess === 'clear').map((g) => g.key)),
      ...gates.filter((g) => g.onSuccess === 'return').map((g) => returnAttempt(g.key)),
    ]);
    return { ok: true, user };
  }
  const lock = gates[gates.length - 1]!;
  if (counts[gates.length - 1]! < lock.limit) return { ok: false, reason: 'invalid', checked: true };
  await extendWindow(lock.key, policy.lockMs);
  return { ok: false, reason: 'locked', checked: true };
}

/** A new password set through a link also lifts a lock on the account: its owner has just proved who they are. */
export async function liftAccountLock(email: string): Promise<void> {
  await clearCounters([accountKey(email)]);
}
