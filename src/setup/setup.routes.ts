import { Router, type RequestHandler } from 'express';
import { postSetup, requireSetupPending, setupGate, setupState, showSetup } from './setup.controller.js';

/** First-run setup: a gate that sends every page to /setup until the first admin exists, and the page. */
export function setupRoutes(): { gate: RequestHandler; router: Router } {
  const state = setupState();
  const router = Router();
  router.get('/setup', requireSetupPending(state), showSetup);
  router.post('/setup', requireSetupPending(state), postSetup(state));
  return { gate: setupGate(state), router };
}
