import { formList } from '../core/validation.js';
import { z } from 'zod';
import { displayNameField, emailField, optionalText } from '../core/form-fields.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import { ROLES } from '../core/roles.js';
import { USER_STATUSES } from '../users/users.service.js';

/** Checkboxes arrive as absent, one string, or an array of strings; anything else is rejected. */
const roleList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform(formList)
  .pipe(z.array(z.enum(ROLES, { message: 'validation.role' })).max(ROLES.length));

/** The details of a person staff keep beside the name: limits as in the user model. */
const personDetails = {
  localName: optionalText(120),
  organisation: optionalText(200),
  province: optionalText(100),
};

export const createUserSchema = z.object({
  email: emailField,
  displayName: displayNameField,
  ...personDetails,
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

export const editPersonSchema = z.object({
  displayName: displayNameField,
  email: emailField,
  ...personDetails,
  locale: z.enum(SUPPORTED_LOCALES, { message: 'validation.locale' }),
});

/** A filter value that is missing or not one we know is simply no filter: a list link must never fail. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const peopleQuerySchema = z.object({
  q: lenient(z.string().trim().max(100)),
  role: lenient(z.enum(ROLES)),
  province: lenient(z.string().trim().max(100)),
  organisation: lenient(z.string().trim().max(200)),
  round: lenient(z.string().regex(/^[0-9a-f]{24}$/i)),
  status: lenient(z.enum(USER_STATUSES)),
});

export type PeopleQuery = z.infer<typeof peopleQuerySchema>;
