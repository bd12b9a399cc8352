import { Router } from 'express';
import { postSetup, requireSetupPending, showSetup } from './setup.controller.js';

export function setupRoutes(): Router {
  const router = Router();
  router.get('/setup', requireSetupPending, showSetup);
  router.post('/setup', requireSetupPending, postSetup);
  return router;
}
