import type { z } from 'zod';
import {
  displayNameField,
  emailField,
  passwordsMatch,
  requiredText,
  withNewPassword,
} from '../auth/auth.schemas.js';

export const setupSchema = withNewPassword({
  organisationName: requiredText(200),
  email: emailField,
  displayName: displayNameField,
}).refine(...passwordsMatch);

export type SetupForm = z.infer<typeof setupSchema>;
