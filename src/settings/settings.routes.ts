import { Router } from 'express';
import type { FileStore } from '../core/file-store.js';
import { requireRole } from '../core/guards.js';
import { uploadOne } from '../core/upload.js';
import * as settings from './settings.controller.js';
import { LOGO_RULE } from './settings.schemas.js';

export function settingsRoutes(files: FileStore): Router {
  const router = Router();
  const admin = requireRole('admin');
  router.get('/admin/settings', admin, settings.show);
  router.post('/admin/settings', admin, settings.save);
  router.post('/admin/settings/logo', admin, uploadOne(files, LOGO_RULE), settings.saveLogo(files));
  router.post('/admin/settings/logo/remove', admin, settings.deleteLogo(files));
  router.get('/organisation/logo', settings.sendLogo(files));
  return router;
}
