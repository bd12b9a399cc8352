import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ValidationError } from './app-error.js';
import { formValues, parseForm, type FieldErrors, type FormValues } from './validation.js';

/** What a form page is re-rendered with after a refused submission. */
export interface FormState {
  values: FormValues;
  errors: FieldErrors;
}

export interface FormAction<S extends z.ZodType> {
  schema: S;
  /** Renders the form page (the status is already set): used for a 422 with the values kept. */
  render(req: Request, res: Response, state: FormState): void | Promise<void>;
  /**
   * Does the work with the valid form. Returns where to go next (a 303), or nothing when it answered
   * itself. A ValidationError it throws becomes a 422 with the message by its field.
   */
  run(data: z.infer<S>, req: Request, res: Response): Promise<string | void>;
}

/**
 * The one way a form is handled: parse → 422 with every value kept (passwords excepted) and a message by
 * each field → run → 303. Rules only a service can check (a taken email, a weak password) come back the
 * same way as the schema's, so a person fixes the form in one go.
 */
export function formAction<S extends z.ZodType>(action: FormAction<S>): RequestHandler {
  return async (req, res) => {
    const form = parseForm(action.schema, req.body);
    if (!form.ok) {
      res.status(422);
      return action.render(req, res, { values: form.values, errors: form.errors });
    }
    let next: string | void;
    try {
      next = await action.run(form.data, req, res);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(err.status);
      return action.render(req, res, { values: formValues(req.body), errors: { [err.field]: err.message } });
    }
    if (typeof next === 'string') res.redirect(303, next);
  };
}
