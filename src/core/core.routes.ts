import { Router } from 'express';
import type { Connection } from 'mongoose';
import { AppError } from './app-error.js';
import { isLocale, LANG_COOKIE } from './i18n.js';
import { safeLocalPath } from './safe-redirect.js';
import { setLocale } from '../users/users.service.js';
import { getSettings } from '../settings/settings.service.js';

/** Health probes, the language switch and the home page: the routes every deployment has. */
export function coreRoutes(connection: Connection, secureCookies: boolean | 'auto'): Router {
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

  router.post('/lang/:locale', async (req, res) => {
    const locale = req.params.locale;
    if (!isLocale(locale)) throw AppError.notFound();
    res.cookie(LANG_COOKIE, locale, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies === 'auto' ? req.secure : secureCookies,
      maxAge: 365 * 24 * 3600 * 1000,
      path: '/',
    });
    if (req.user) await setLocale(req.user.id, locale);
    res.redirect(303, safeLocalPath((req.body as { returnTo?: unknown } | undefined)?.returnTo));
  });

  router.get('/', async (req, res) => {
    if (!req.user) {
      res.redirect(303, '/login');
      return;
    }
    const settings = await getSettings();
    res.render('home/index', {
      title: req.t('home.title'),
      organisationName: settings?.organisationName ?? '',
    });
  });

  return router;
}
