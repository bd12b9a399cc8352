import { z } from 'zod';

/** Every field is parsed to a plain string, so no request can smuggle a query operator into a filter. */
const text = (max: number) =>
  z.string({ message: 'validation.required' }).trim().max(max, { message: 'validation.tooLong' });

export const requiredText = (max: number) => text(max).min(1, { message: 'validation.required' });

export const displayNameField = requiredText(120);

export const emailField = requiredText(254)
  .pipe(z.email({ message: 'validation.email' }))
  .transform((v) => v.toLowerCase());

export const loginSchema = z.object({
  email: requiredText(254),
  password: z.string({ message: 'validation.required' }).min(1, { message: 'validation.required' }).max(256),
  next: z.string().max(2000).optional(),
});

export const passwordField = z
  .string({ message: 'validation.required' })
  .min(1, { message: 'validation.required' })
  .max(256, { message: 'validation.passwordTooLong' });

const newPasswordFields = {
  password: passwordField,
  passwordConfirm: z.string({ message: 'validation.required' }),
};

/** The check every form that sets a password runs: both entries must match. */
export const passwordsMatch: [
  (v: { password: string; passwordConfirm: string }) => boolean,
  { path: string[]; message: string },
] = [
  (v) => v.password === v.passwordConfirm,
  { path: ['passwordConfirm'], message: 'validation.passwordMismatch' },
];

/** Fields plus a new password and its confirmation. */
export function withNewPassword<T extends z.ZodRawShape>(fields: T) {
  return z.object({ ...fields, ...newPasswordFields });
}

export const registerSchema = withNewPassword({ email: emailField, displayName: displayNameField }).refine(
  ...passwordsMatch,
);

export const resetSchema = withNewPassword({}).refine(...passwordsMatch);
