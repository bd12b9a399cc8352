import type { RequestHandler } from 'express';
import { AppError } from '../core/app-error.js';
import { requireRole } from '../core/guards.js';
import { loadOwned } from '../core/ownership.js';
import { canEdit, findCourse, type CourseDoc } from './courses.service.js';

/**
 * The guard of every trainer page about one course (`:id`), shared with the features that hang pages off
 * a course (quizzes): trainers, coordinators and admins; the course into res.locals.course; a trainer who
 * does not (co-)author it, or an author who is no longer a trainer, gets the same 404 as for no course.
 */
export function editableCourse(): RequestHandler[] {
  return [
    requireRole('trainer', 'coordinator', 'admin'),
    loadOwned({
      local: 'course',
      find: findCourse,
      owners: (c) => c.authors.map(String),
      bypass: ['admin', 'coordinator'],
    }),
    (req, res, next) => {
      if (!canEdit(req.user, res.locals.course as CourseDoc)) throw AppError.notFound();
      next();
    },
  ];
}
