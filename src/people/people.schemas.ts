import { z } from 'zod';
import { displayNameField, emailField } from '../core/form-fields.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import { ROLES } from '../core/roles.js';
import { USER_STATUSES } from '../users/users.service.js';

/** Checkboxes arrive as absent, one string, or an array of strings; anything else is rejected. */
const roleList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.enum(ROLES, { message: 'validation.role' })).max(ROLES.length));

export const createUserSchema = z.object({
  email: emailField,
  displayName: displayNameField,
  roles: roleList,
  // The language of their pages and of any mail they get; they can change it themselves later.
  locale: z.enum(SUPPORTED_LOCALES, { message: 'validation.locale' }).optional(),
});

export const rolesSchema = z.object({
  roles: roleList,
  /** The form sits on the people list and on a person's page; the answer goes back to the same one. */
  from: z.enum(['list', 'person']).optional(),
});

export const statusSchema = z.object({ status: z.enum(USER_STATUSES) });

export type CreateUserForm = z.infer<typeof createUserSchema>;
