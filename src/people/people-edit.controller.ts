import type { Request, RequestHandler, Response } from 'express';
import { formAction, type FormState } from '../core/form-action.js';
import { updatePersonDetails } from '../users/user-directory.service.js';
import type { UserSummary } from '../users/users.service.js';
import { loadManageable } from './people.controller.js';
import { editPersonSchema } from './people.schemas.js';

/**
 * A person's details as staff keep them: names in both scripts, email, organisation, province, language.
 * Roles, status and passwords are changed on the person's page, each with its own consequences.
 */

const person = (res: Response) => res.locals.person as UserSummary;

/** Loads the person into res.locals, or 404 / 403 (a coordinator may not edit an admin), before any form. */
export const loadEditable: RequestHandler = async (req, res, next) => {
  res.locals.person = await loadManageable(req);
  next();
};

function renderEdit(req: Request, res: Response, state: FormState): void {
  res.render('people/edit', { title: req.t('users.edit.title'), person: person(res), ...state });
}

export const showEdit: RequestHandler = (req, res) => {
  const p = person(res);
  renderEdit(req, res, {
    values: {
      displayName: p.displayName,
      localName: p.localName,
      email: p.email,
      organisation: p.organisation,
      province: p.province,
      locale: p.locale,
    },
    errors: {},
  });
};

export const saveEdit = formAction({
  schema: editPersonSchema,
  render: renderEdit,
  run: async (data, req, res) => {
    const { id } = person(res);
    await updatePersonDetails(id, data, req.user!.id);
    return `/people/${id}?saved=details`;
  },
});
