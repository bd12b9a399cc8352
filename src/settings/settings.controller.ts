import type { RequestHandler } from 'express';
import { parseForm } from '../core/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { getSettings, updateSettings } from './settings.service.js';
import { settingsSchema } from './settings.schemas.js';

export const show: RequestHandler = async (req, res) => {
  const s = await getSettings();
  res.render('settings/edit', {
    title: req.t('settings.title'),
    values: {
      organisationName: s?.organisationName ?? '',
      registrationMode: s?.registrationMode ?? 'invite',
    },
    errors: {},
    saved: req.query.saved === '1',
  });
};

export const save: RequestHandler = async (req, res) => {
  const form = parseForm(settingsSchema, req.body);
  if (!form.ok) {
    res.status(422).render('settings/edit', {
      title: req.t('settings.title'),
      values: form.values,
      errors: form.errors,
      saved: false,
    });
    return;
  }
  await updateSettings(form.data);
  await recordAuditEvent({
    actorId: req.user!.id,
    action: 'settings.update',
    targetType: 'settings',
    targetId: 'organisation',
    details: form.data,
  });
  res.redirect(303, '/admin/settings?saved=1');
};
