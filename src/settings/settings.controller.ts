import type { Request, RequestHandler, Response } from 'express';
import { isTimeZone } from '../core/dates.js';
import type { FileStore } from '../core/file-store.js';
import { formAction, type FormState } from '../core/form-action.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import {
  getLogo,
  getSettings,
  organisationTimeZone,
  removeLogo,
  setLogo,
  updateSettings,
} from './settings.service.js';
import { settingsSchema } from './settings.schemas.js';

const SAVED: Record<string, string> = {
  '1': 'settings.saved',
  logo: 'settings.logoSaved',
  'logo-removed': 'settings.logoRemoved',
};

/** Every IANA time zone this Node knows (UTC first, which Intl does not list), for the setting's list. */
const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone')];

function zoneChoices(current: unknown): readonly string[] {
  return isTimeZone(current) && !TIME_ZONES.includes(current) ? [current, ...TIME_ZONES] : TIME_ZONES;
}

async function renderSettings(req: Request, res: Response, state: FormState, notice?: string): Promise<void> {
  res.render('settings/edit', {
    title: req.t('settings.title'),
    ...state,
    notice,
    logo: await getLogo(),
    // A zone set another way (an alias such as Etc/GMT+3) stays selectable, so saving keeps it.
    timeZones: zoneChoices(state.values.timeZone),
  });
}

async function currentValues(): Promise<Record<string, string>> {
  const s = await getSettings();
  return {
    organisationName: s?.organisationName ?? '',
    registrationMode: s?.registrationMode ?? 'invite',
    timeZone: await organisationTimeZone(),
  };
}

export const show: RequestHandler = async (req, res) => {
  const values = await currentValues();
  const saved = typeof req.query.saved === 'string' ? SAVED[req.query.saved] : undefined;
  await renderSettings(req, res, { values, errors: {} }, saved);
};

export const save = formAction({
  schema: settingsSchema,
  render: (req, res, state) => renderSettings(req, res, state),
  run: async (data, req) => {
    await updateSettings(data);
    await recordAuditEvent({
      actorId: req.user!.id,
      action: 'settings.update',
      targetType: 'settings',
      targetId: 'organisation',
      details: data,
    });
    return '/admin/settings?saved=1';
  },
});

export function saveLogo(files: FileStore): RequestHandler {
  return async (req, res) => {
    const upload = req.upload;
    if (!upload) {
      res.status(req.uploadRefusal?.status ?? 422);
      return renderSettings(req, res, {
        values: await currentValues(),
        errors: { logo: req.uploadRefusal?.message ?? 'validation.chooseImage' },
      });
    }
    await setLogo({ fileId: upload.id, mime: upload.mime, size: upload.size, sha256: upload.sha256 }, files);
    await recordAuditEvent({
      actorId: req.user!.id,
      action: 'settings.logo',
      targetType: 'settings',
      targetId: 'organisation',
      details: { size: upload.size, mime: upload.mime },
    });
    res.redirect(303, '/admin/settings?saved=logo');
  };
}

export function deleteLogo(files: FileStore): RequestHandler {
  return async (_req, res) => {
    await removeLogo(files);
    res.redirect(303, '/admin/settings?saved=logo-removed');
  };
}

/** The logo is the organisation's public mark: any page (and later certificates) may show it. */
export function sendLogo(files: FileStore): RequestHandler {
  return async (req, res) => {
    const logo = await getLogo();
    if (!logo) {
      res.status(404).end();
      return;
    }
    const etag = `"${logo.sha256}"`;
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', logo.mime);
    res.setHeader('Content-Length', String(logo.size));
    (await files.open(logo.fileId)).pipe(res);
  };
}
