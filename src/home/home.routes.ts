import { Router } from 'express';
import { AppError } from '../core/app-error.js';
import { isLocale, LANG_COOKIE } from '../core/i18n.js';
import { hasRole } from '../core/roles.js';
import { safeLocalPath } from '../core/safe-redirect.js';
import { allLessons, localized, nextLesson, publishedCourses } from '../courses/courses.service.js';
import { enrolmentsOf } from '../progress/progress.service.js';
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
    const [settings, enrolments] = await Promise.all([getSettings(), enrolmentsOf(req.user.id)]);
    const courses = await publishedCourses(enrolments.map((e) => e.courseId));
    const progressOf = new Map(enrolments.map((e) => [e.courseId, e]));
    // Each course with how far the person is and the lesson to go on with; the first unfinished one is
    // the "next step".
    const mine = courses.map((c) => {
      const p = progressOf.get(String(c._id))!;
      const lessons = allLessons(c);
      const next = nextLesson(c, p.completed, p.lastLessonId);
      const text = (t: Partial<Record<string, string>>) => localized(t, req.locale, c.primaryLocale);
      return {
        slug: c.slug,
        title: text(c.title),
        done: lessons.filter(({ lesson }) => p.completed.has(String(lesson._id))).length,
        total: lessons.length,
        next: next && { id: String(next._id), title: text(next.title) },
      };
    });
    res.render('home/index', {
      courses: mine,
      nextStep: mine.find((c) => c.next),
      isTrainer: hasRole(req.user, 'trainer', 'coordinator', 'admin'),
      title: req.t('home.title'),
      organisationName: settings?.organisationName ?? '',
      notice: req.query.notice === 'passwordSet' ? 'notices.passwordSet' : undefined,
      isStaff: hasRole(req.user, 'admin', 'coordinator'),
      isAdmin: hasRole(req.user, 'admin'),
    });
  });

  return router;
}
