import { Router } from 'express';
import { postSetup, showSetup } from './setup.controller.js';

export function setupRoutes(): Router {
  const router = Router();
  router.get('/setup', showSetup);
  router.post('/setup', postSetup);
  return router;
}
