import type { z } from 'zod';
import {
  displayNameField,
  emailField,
  passwordsMatch,
  requiredText,
  withNewPassword,
} from '../core/form-fields.js';

export const setupSchema = withNewPassword({
  organisationName: requiredText(200),
  email: emailField,
  displayName: displayNameField,
}).refine(...passwordsMatch);

export type SetupForm = z.infer<typeof setupSchema>;
