import { Router } from 'express';
import { AppError } from '../core/app-error.js';
import { isLocale, LANG_COOKIE } from '../core/i18n.js';
import { safeLocalPath } from '../core/safe-redirect.js';
import { setLocale } from '../users/users.service.js';
import { showHome } from './home.controller.js';

/** The home page (each role's desk) and the language switch at the foot of every page. */
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

  router.get('/', showHome);

  return router;
}
