import type { Request, RequestHandler, Response } from 'express';
import { formAction, type FormState } from '../core/form-action.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { getSettings, updateSettings } from './settings.service.js';
import { settingsSchema } from './settings.schemas.js';

function renderSettings(req: Request, res: Response, state: FormState, saved = false): void {
  res.render('settings/edit', { title: req.t('settings.title'), ...state, saved });
}

export const show: RequestHandler = async (req, res) => {
  const s = await getSettings();
  const values = {
    organisationName: s?.organisationName ?? '',
    registrationMode: s?.registrationMode ?? 'invite',
  };
  renderSettings(req, res, { values, errors: {} }, req.query.saved === '1');
};

export const save = formAction({
  schema: settingsSchema,
  render: renderSettings,
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
