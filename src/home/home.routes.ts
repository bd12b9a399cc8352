import { Router } from 'express';
import { AppError } from '../core/app-error.js';
import { isLocale, LANG_COOKIE } from '../core/i18n.js';
import { hasRole } from '../core/roles.js';
import { safeLocalPath } from '../core/safe-redirect.js';
import { getSettings } from '../settings/settings.service.js';
import { setLocale } from '../users/users.service.js';

/** The home page and the language switch at the foot of every page. */
export function homeRoutes(): Router {
  const router = Router();

  // Works for visitors too: the choice goes into a cookie (no session is stored for it), and onto the
  // account when someone is signed in.
  router.post('/lang/:locale', async (req, res) => {
    const locale = req.params.locale;
    if (!isLocale(locale)) throw AppError.notFound();
    res.cookie(LANG_COOKIE, locale, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
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
      notice: req.query.notice === 'passwordSet' ? 'notices.passwordSet' : undefined,
      isStaff: hasRole(req.user, 'admin', 'coordinator'),
      isAdmin: hasRole(req.user, 'admin'),
    });
  });

  return router;
}
