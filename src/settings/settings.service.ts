import { isDuplicateKey } from '../core/app-error.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../core/dates.js';
import { sharedCache, signalChange } from '../core/shared-cache.js';
import type { FileStore } from '../core/file-store.js';
import { Settings, SETTINGS_ID, type SettingsFields } from './settings.model.js';

export type RegistrationMode = 'open' | 'invite';

const SETTINGS_CHANGED = 'settings';
/** Read on every page (organisation name, registration mode): kept in memory, dropped on any change. */
const cached = sharedCache<SettingsFields | null>(SETTINGS_CHANGED);

export async function getSettings(): Promise<SettingsFields | null> {
  return cached.get(SETTINGS_ID, () => Settings.findById(SETTINGS_ID).lean<SettingsFields>());
}

async function settingsChanged(): Promise<void> {
  await signalChange(SETTINGS_CHANGED);
}

/** The time zone every date and time is shown in: the organisation's, Kabul until an admin sets another. */
export async function organisationTimeZone(): Promise<string> {
  const s = (await getSettings()) as { timeZone?: string | null } | null;
  return s?.timeZone && isTimeZone(s.timeZone) ? s.timeZone : DEFAULT_TIME_ZONE;
}

export async function getRegistrationMode(): Promise<RegistrationMode> {
  const s = await getSettings();
  return s?.registrationMode === 'open' ? 'open' : 'invite';
}

export async function updateSettings(changes: {
  organisationName: string;
  registrationMode: RegistrationMode;
  timeZone?: string;
}): Promise<void> {
  await Settings.updateOne(
    { _id: SETTINGS_ID },
    {
      $set: {
        organisationName: changes.organisationName,
        registrationMode: changes.registrationMode,
        ...(changes.timeZone ? { timeZone: changes.timeZone } : {}),
      },
    },
    // Upsert: when the first admin came from `npm run user:create` rather than /setup, there is no
    // settings document yet, and the first save must create it rather than do nothing.
    { upsert: true },
  );
  await settingsChanged();
}

/**
 * Claims first-run setup by creating the organisation's settings. Race-safe: the document has a fixed _id,
 * so of two concurrent claims only one insert succeeds; the other gets false.
 */
export async function claimFirstRun(organisationName: string): Promise<boolean> {
  try {
    await Settings.create({ _id: SETTINGS_ID, organisationName });
    await settingsChanged();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Gives a claim back (setup failed after it), so setup can be tried again. */
export async function abandonFirstRun(): Promise<void> {
  await Settings.deleteOne({ _id: SETTINGS_ID, setupCompletedAt: null });
  await settingsChanged();
}

export async function markFirstRunDone(): Promise<void> {
  await Settings.updateOne({ _id: SETTINGS_ID }, { $set: { setupCompletedAt: new Date() } });
  await settingsChanged();
}

export interface Logo {
  fileId: string;
  mime: string;
  size: number;
  sha256: string;
}

export async function getLogo(): Promise<Logo | null> {
  const s = (await getSettings()) as { logo?: Logo | null } | null;
  return s?.logo?.fileId ? s.logo : null;
}

/**
 * Makes an uploaded image the logo, then removes the file of the logo it replaces (nothing else refers to
 * it). If the settings cannot be saved, the new file is removed instead, so no file is left unreferenced.
 */
export async function setLogo(logo: Logo, files: FileStore): Promise<void> {
  let before: { logo?: Logo | null } | null;
  try {
    before = await Settings.findOneAndUpdate(
      { _id: SETTINGS_ID },
      { $set: { logo } },
      { upsert: true, projection: { logo: 1 } },
    ).lean<{ logo?: Logo | null }>();
  } catch (err) {
    await files.remove(logo.fileId);
    throw err;
  }
  await settingsChanged();
  if (before?.logo?.fileId && before.logo.fileId !== logo.fileId) await files.remove(before.logo.fileId);
}

export async function removeLogo(files: FileStore): Promise<void> {
  const before = await Settings.findOneAndUpdate(
    { _id: SETTINGS_ID },
    { $set: { logo: null } },
    { projection: { logo: 1 } },
  ).lean<{ logo?: Logo | null }>();
  await settingsChanged();
  if (before?.logo?.fileId) await files.remove(before.logo.fileId);
}
