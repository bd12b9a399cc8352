import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Parses a form body with its schema. Failure keeps what the user typed (as strings only, never objects)
 * and one message key per field, so the form can be re-rendered with status 422.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v === 'string' && !/password|_csrf/i.test(k)) values[k] = v;
    }
  }
  return { ok: false, errors, values };
}
