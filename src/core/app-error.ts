/** The one error type handlers throw; the error handler turns it into a page or JSON with its status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(message = 'errors.notFound'): AppError {
    return new AppError(404, message);
  }

  static forbidden(message = 'errors.forbidden'): AppError {
    return new AppError(403, message);
  }
}

/**
 * A form value that breaks a rule only a service can check (a taken email, a weak password): the form is
 * shown again with the message by that field, with status 422 (or another 4xx, such as 429 for a limit).
 */
export class ValidationError extends AppError {
  constructor(
    readonly field: string,
    key: string,
    status = 422,
    /** Values the message names ("these emails are unknown: …"). */
    readonly params: Record<string, string> = {},
  ) {
    super(status, key, { field });
  }
}

/** MongoDB's duplicate-key error (E11000), raised by a unique index. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}
