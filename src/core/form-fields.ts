import { z } from 'zod';
import { passwordProblem } from './password-policy.js';

// Control characters (NUL, escape, line breaks in a one-line field) and bidi embeddings, overrides and
// isolates have no place in a name: an override (U+202E) makes a name read as something else in the people
// list and the audit log. Zero-width joiners and non-joiners stay: Dari and Pashto spelling needs them.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// A text of several lines (a summary, a lesson) keeps its line breaks and tabs, and nothing else of these.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// What a reader cannot see: a value made only of these (and spaces) is as good as empty.
// (U+034F, a combining mark, sits outside the class so it is not read as combined with its neighbour.)
const INVISIBLE = /\u034f|[\s\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff]/g;

/** Every field is parsed to a plain string, so no request can smuggle a query operator into a filter. */
const text = (max: number) =>
  z
    .string({ message: 'validation.required' })
    .trim()
    .max(max, { message: 'validation.tooLong' })
    .refine((v) => !FORBIDDEN_CHARS.test(v), { message: 'validation.badCharacters' });

/** A one-line text that may be left empty (absent is empty). */
export const optionalText = (max: number) =>
  z
    .string({ message: 'validation.required' })
    .max(max, { message: 'validation.tooLong' })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => !FORBIDDEN_CHARS.test(v), { message: 'validation.badCharacters' });

/** A text of several lines that may be left empty: a summary, a lesson's Markdown. */
export const optionalLongText = (max: number) =>
  z
    .string({ message: 'validation.required' })
    .max(max, { message: 'validation.tooLong' })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => !FORBIDDEN_IN_LINES.test(v), { message: 'validation.badCharacters' });

export const requiredText = (max: number) =>
  text(max)
    .min(1, { message: 'validation.required' })
    .refine((v) => v.replace(INVISIBLE, '').length > 0, { message: 'validation.required' });

export const displayNameField = requiredText(120);

export const emailField = requiredText(254)
  .pipe(z.email({ message: 'validation.email' }))
  .transform((v) => v.toLowerCase());

export const passwordField = z
  .string({ message: 'validation.required' })
  .min(1, { message: 'validation.required' })
  .max(256, { message: 'validation.passwordTooLong' });

/** A password being chosen: the rules that need nothing else (length, not a common password). */
export const newPasswordField = passwordField.superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Checks that run even when other fields are wrong, so a person sees every problem at once. */
const always = { when: () => true };

/**
 * Fields plus a new password and its confirmation: both must match, and when the form has an email the
 * password must not contain its name. Every check runs on every submission, so one round of corrections
 * is enough.
 */
export function withNewPassword<T extends z.ZodRawShape>(fields: T) {
  return z
    .object({
      ...fields,
      password: newPasswordField,
      passwordConfirm: z.string({ message: 'validation.required' }),
    })
    .superRefine((raw, ctx) => {
      const v = raw as { password?: unknown; passwordConfirm?: unknown; email?: unknown };
      if (typeof v.password !== 'string') return;
      if (v.password !== v.passwordConfirm)
        ctx.addIssue({ code: 'custom', path: ['passwordConfirm'], message: 'validation.passwordMismatch' });
      if (
        typeof v.email === 'string' &&
        passwordProblem(v.password, { email: v.email }) === 'validation.passwordPersonal'
      )
        ctx.addIssue({ code: 'custom', path: ['password'], message: 'validation.passwordPersonal' });
    }, always);
}
