import { z } from 'zod';

/** Every field is parsed to a plain string, so no request can smuggle a query operator into a filter. */
const text = (max: number) =>
  z.string({ message: 'validation.required' }).trim().max(max, { message: 'validation.tooLong' });

export const emailField = text(254)
  .min(1, { message: 'validation.required' })
  .pipe(z.email({ message: 'validation.email' }))
  .transform((v) => v.toLowerCase());

export const loginSchema = z.object({
  email: text(254).min(1, { message: 'validation.required' }),
  password: z.string({ message: 'validation.required' }).min(1, { message: 'validation.required' }).max(256),
  next: z.string().max(2000).optional(),
});

export const passwordField = z
  .string({ message: 'validation.required' })
  .min(1, { message: 'validation.required' })
  .max(256, { message: 'validation.passwordTooLong' });

export const registerSchema = z
  .object({
    email: emailField,
    displayName: text(120).min(1, { message: 'validation.required' }),
    password: passwordField,
    passwordConfirm: z.string({ message: 'validation.required' }),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    path: ['passwordConfirm'],
    message: 'validation.passwordMismatch',
  });

export const resetSchema = z
  .object({ password: passwordField, passwordConfirm: z.string({ message: 'validation.required' }) })
  .refine((v) => v.password === v.passwordConfirm, {
    path: ['passwordConfirm'],
    message: 'validation.passwordMismatch',
  });

export type LoginForm = z.infer<typeof loginSchema>;
