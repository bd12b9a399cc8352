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
