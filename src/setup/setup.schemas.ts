import type { z } from 'zod';
import { displayNameField, emailField, requiredText, withNewPassword } from '../core/form-fields.js';

export const setupSchema = withNewPassword({
  organisationName: requiredText(200),
  email: emailField,
  displayName: displayNameField,
});

export type SetupForm = z.infer<typeof setupSchema>;
