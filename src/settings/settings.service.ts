import { isDuplicateKey } from '../core/app-error.js';
import { Settings, SETTINGS_ID, type SettingsFields } from './settings.model.js';

export type RegistrationMode = 'open' | 'invite';

export async function getSettings(): Promise<SettingsFields | null> {
  return Settings.findById(SETTINGS_ID).lean<SettingsFields>();
}

export async function getRegistrationMode(): Promise<RegistrationMode> {
  const s = await getSettings();
  return s?.registrationMode === 'open' ? 'open' : 'invite';
}

export async function updateSettings(changes: {
  organisationName: string;
  registrationMode: RegistrationMode;
}): Promise<void> {
  await Settings.updateOne(
    { _id: SETTINGS_ID },
    { $set: { organisationName: changes.organisationName, registrationMode: changes.registrationMode } },
    // Upsert: when the first admin came from `npm run user:create` rather than /setup, there is no
    // settings document yet, and the first save must create it rather than do nothing.
    { upsert: true },
  );
}

/**
 * Claims first-run setup by creating the organisation's settings. Race-safe: the document has a fixed _id,
 * so of two concurrent claims only one insert succeeds; the other gets false.
 */
export async function claimFirstRun(organisationName: string): Promise<boolean> {
  try {
    await Settings.create({ _id: SETTINGS_ID, organisationName });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Gives a claim back (setup failed after it), so setup can be tried again. */
export async function abandonFirstRun(): Promise<void> {
  await Settings.deleteOne({ _id: SETTINGS_ID, setupCompletedAt: null });
}

export async function markFirstRunDone(): Promise<void> {
  await Settings.updateOne({ _id: SETTINGS_ID }, { $set: { setupCompletedAt: new Date() } });
}
