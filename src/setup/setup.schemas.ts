import { z } from 'zod';
import { emailField, passwordField } from '../auth/auth.schemas.js';

export const setupSchema = z
  .object({
    organisationName: z
      .string({ message: 'validation.required' })
      .trim()
      .min(1, { message: 'validation.required' })
      .max(200, { message: 'validation.tooLong' }),
    email: emailField,
    displayName: z
      .string({ message: 'validation.required' })
      .trim()
      .min(1, { message: 'validation.required' })
      .max(120, { message: 'validation.tooLong' }),
    password: passwordField,
    passwordConfirm: z.string({ message: 'validation.required' }),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    path: ['passwordConfirm'],
    message: 'validation.passwordMismatch',
  });

export type SetupForm = z.infer<typeof setupSchema>;
