import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
/**
 * What a person typed or ticked, kept for the form's second showing: text, the ticked boxes of a group, or
 * a text per language (`title[fa-AF]`).
 */
export type FormValues = Record<string, string | string[] | Record<string, string>>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

/** Never shown again: passwords, and the CSRF token (the page gets a fresh one). */
const NOT_KEPT = /password|_csrf/i;

/**
 * The submitted values worth showing again: strings, lists of strings, and one level of named strings (a
 * text per language); anything deeper or stranger is dropped, so a crafted body cannot reach the view.
 */
export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (!body || typeof body !== 'object') return values;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (NOT_KEPT.test(k)) continue;
    if (typeof v === 'string') values[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) values[k] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const texts = Object.entries(v as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      );
      if (texts.length) values[k] = Object.fromEntries(texts);
    }
  }
  return values;
}

type FormValue = FormValues[string] | undefined;
/** A form value as one text: '' for anything else. */
export const formText = (v: FormValue): string => (typeof v === 'string' ? v : '');
/** A form value as a list: one ticked box arrives as a text, several as a list. */
export const formList = (v: FormValue): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v : []);
/** A form value as a text per language (`title[fa-AF]`), or none. */
export const formTexts = (v: FormValue): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : {};

/**
 * Parses a form body with its schema. Failure keeps what the user typed (see formValues) and one message
 * key per field, so the form can be re-rendered with status 422.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: formValues(body) };
}
