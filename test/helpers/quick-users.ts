/**
 * People stored with one password hash made once per run, for suites that need many people per test:
 * hashing is the slow step of making an account, and these tests are not about passwords. Each can sign
 * in with DEFAULT_PASSWORD like a factory-made one.
 */
import type { Role } from '../../src/core/roles.js';
import type { Locale } from '../../src/core/i18n.js';
import { claimFirstRun, markFirstRunDone } from '../../src/settings/settings.service.js';
import { User } from '../../src/users/user.model.js';
import { hashPassword } from '../../src/users/passwords.js';
import { DEFAULT_PASSWORD, type TestUser } from './factories.js';

let sharedHash: Promise<string> | undefined;
let counter = 0;

export async function quickUser(
  roles: Role[] = ['member'],
  fields: { displayName?: string; localName?: string; locale?: Locale } = {},
): Promise<TestUser> {
  sharedHash ??= hashPassword(DEFAULT_PASSWORD);
  counter += 1;
  const doc = await User.create({
    email: `${roles[0] ?? 'member'}-q${counter}-${Date.now()}@example.org`,
    displayName: fields.displayName ?? `Person ${counter}`,
    localName: fields.localName ?? '',
    passwordHash: await sharedHash,
    roles,
    locale: fields.locale ?? 'en',
  });
  return {
    id: String(doc._id),
    email: doc.email,
    displayName: doc.displayName,
    roles,
    locale: fields.locale ?? 'en',
    sessionGeneration: 0,
    credentialVersion: 0,
    password: DEFAULT_PASSWORD,
  };
}

/** The organisation as after first-run setup, with its admin: pages are not sent to /setup. */
export async function quickFirstRun(): Promise<TestUser> {
  await claimFirstRun('Test Network');
  await markFirstRunDone();
  return quickUser(['admin']);
}
