import type { Request, RequestHandler, Response } from 'express';
import { AppError, ValidationError } from '../core/app-error.js';
import { parseForm } from '../core/validation.js';
import { enrol, leave } from '../progress/progress.service.js';
import { findUserByEmail, validId } from '../users/users.service.js';
import type { CourseDoc } from './course.model.js';
import { authorSchema } from './courses.schemas.js';
import { orShowError } from './authoring.controller.js';

/**
 * Coordinators and admins enrol a person in a course by hand, or take them out: for a course without
 * self-enrolment, and for the one member who missed a round. Leaving keeps the person's progress.
 */

function course(res: Response): CourseDoc {
  return res.locals.course as CourseDoc;
}

const membersPage = (c: CourseDoc) => `/teach/courses/${String(c._id)}?saved=members#members`;

export const postMember: RequestHandler = (req: Request, res: Response) =>
  orShowError(req, res, async () => {
    const form = parseForm(authorSchema, req.body);
    if (!form.ok) throw new ValidationError('email', 'validation.required');
    const person = await findUserByEmail(form.data.email);
    if (!person) throw new ValidationError('email', 'teach.errors.noSuchPerson');
    await enrol(person.id, String(course(res)._id));
    return membersPage(course(res));
  });

export const postRemoveMember: RequestHandler = async (req, res) => {
  const userId = typeof req.params.userId === 'string' ? req.params.userId : '';
  if (!validId(userId)) throw AppError.notFound();
  await leave(userId, String(course(res)._id));
  res.redirect(303, membersPage(course(res)));
};
