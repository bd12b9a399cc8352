import { Router } from 'express';
import { requireRole } from '../core/guards.js';
import * as settings from './settings.controller.js';

export function settingsRoutes(): Router {
  const router = Router();
  router.get('/admin/settings', requireRole('admin'), settings.show);
  router.post('/admin/settings', requireRole('admin'), settings.save);
  return router;
}
