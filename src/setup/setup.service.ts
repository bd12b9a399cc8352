import { AppError } from '../core/app-error.js';
import { abandonFirstRun, claimFirstRun, markFirstRunDone } from '../settings/settings.service.js';
import { anyUserExists, checkPassword, createUser, type SessionUser } from '../users/users.service.js';
import type { Locale } from '../core/i18n.js';
import type { SetupForm } from './setup.schemas.js';

/** Setup is done once anyone has an account (the first admin, from /setup or the command line). */
export async function isSetupDone(): Promise<boolean> {
  return anyUserExists();
}

/**
 * Creates the organisation and the first admin. Race-safe: the settings document has a fixed _id, so of
 * two concurrent posts only one insert succeeds; the other gets a duplicate-key error and a 404, as if
 * setup were already gone.
 */
export async function completeSetup(form: SetupForm, locale: Locale): Promise<SessionUser> {
  if (await isSetupDone()) throw AppError.notFound();
  checkPassword(form.password, form.email);
  if (!(await claimFirstRun(form.organisationName))) throw AppError.notFound();
  let admin: SessionUser;
  try {
    admin = await createUser({
      email: form.email,
      displayName: form.displayName,
      password: form.password,
      roles: ['admin'],
      // The language setup was done in is the first admin's language from then on.
      locale,
    });
  } catch (err) {
    // Give the claim back so setup can be retried after, say, a database hiccup.
    await abandonFirstRun();
    throw err;
  }
  await markFirstRunDone();
  return admin;
}
