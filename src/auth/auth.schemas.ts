import { z } from 'zod';
import {
  displayNameField,
  emailField,
  passwordField,
  requiredText,
  withNewPassword,
} from '../core/form-fields.js';

/** A checkbox: present ("on") when ticked, absent otherwise. */
const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v !== undefined);

export const loginSchema = z.object({
  // Not checked as an email here: any typo is simply an unknown account, and the message must not differ.
  email: requiredText(254).transform((v) => v.toLowerCase()),
  password: passwordField,
  remember: checkbox,
  next: z.string().max(2000).optional(),
});

export const registerSchema = withNewPassword({ email: emailField, displayName: displayNameField });

export const resetSchema = withNewPassword({});

export const changePasswordSchema = withNewPassword({ currentPassword: passwordField });
