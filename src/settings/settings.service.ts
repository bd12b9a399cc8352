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
