import { Router } from 'express';
import type { Connection } from 'mongoose';

/** Health probes for the proxy: the process is alive (/healthz), the database answers (/readyz). */
export function healthRoutes(connection: Connection): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    try {
      if (!connection.db) throw new Error('not connected');
      await connection.db.admin().ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  return router;
}
