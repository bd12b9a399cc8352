import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { AppError, ValidationError } from '../../src/core/app-error.js';
import { formAction } from '../../src/core/form-action.js';
import { emailField, withNewPassword } from '../../src/core/form-fields.js';
import { parseForm } from '../../src/core/validation.js';

/** A form page whose "rendering" is the state as JSON, so a test can read exactly what the page would get. */
function appWith(run: (data: { name: string; roles: string[] }) => string | void) {
  const app = express();
  app.use(express.urlencoded({ extended: true }));
  app.post(
    '/form',
    formAction({
      schema: z.object({
        name: z.string().min(2, { message: 'validation.tooShort' }),
        password: z.string().optional(),
        roles: z.preprocess((v) => (v === undefined ? [] : ([] as unknown[]).concat(v)), z.array(z.string())),
      }),
      render: (_req, res, state) => void res.json(state),
      run: (data) => Promise.resolve(run(data)),
    }),
  );
  app.use(((err, _req, res, _next) => {
    res.status(err instanceof AppError ? err.status : 500).json({ thrown: (err as Error).message });
  }) as express.ErrorRequestHandler);
  return app;
}

describe('formAction: parse, 422 with the values kept, run, 303', () => {
  it('a refused form comes back 422 with a message per field and every value but passwords, ticked boxes included', async () => {
    const res = await request(appWith(() => '/done'))
      .post('/form')
      .type('form')
      .send('name=A&password=secret&roles=trainer&roles=coordinator&_csrf=tok');
    expect(res.status).to.equal(422);
    expect(res.body).to.deep.equal({
      values: { name: 'A', roles: ['trainer', 'coordinator'] },
      errors: { name: 'validation.tooShort' },
    });
  });

  it('a valid form runs and is redirected with 303 to where run says', async () => {
    let seen: unknown;
    const res = await request(
      appWith((data) => {
        seen = data;
        return '/done';
      }),
    )
      .post('/form')
      .type('form')
      .send('name=Zahra&roles=member');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/done');
    expect(seen).to.deep.equal({ name: 'Zahra', roles: ['member'] });
  });

  it('a ValidationError from the service is shown by its field with its status, values kept', async () => {
    const taken = appWith(() => {
      throw new ValidationError('name', 'validation.emailTaken');
    });
    const res = await request(taken).post('/form').type('form').send('name=Zahra&roles=member');
    expect(res.status).to.equal(422);
    expect(res.body).to.deep.equal({
      // As sent: one ticked box arrives as a plain string, and the page reads both forms.
      values: { name: 'Zahra', roles: 'member' },
      errors: { name: 'validation.emailTaken' },
    });

    const limited = appWith(() => {
      throw new ValidationError('name', 'auth.errors.throttled', 429);
    });
    expect((await request(limited).post('/form').type('form').send('name=Zahra')).status).to.equal(429);
  });

  it('any other error goes on to the error handler untouched', async () => {
    const res = await request(
      appWith(() => {
        throw AppError.forbidden();
      }),
    )
      .post('/form')
      .type('form')
      .send('name=Zahra');
    expect(res.status).to.equal(403);
    expect(res.body).to.deep.equal({ thrown: 'errors.forbidden' });
  });
});

describe('forms that set a password: every problem at once', () => {
  it('a bad email, a short password and a different confirmation are all reported in one round', () => {
    const form = parseForm(withNewPassword({ email: emailField }), {
      email: 'not-an-email',
      password: 'short',
      passwordConfirm: 'other',
    });
    expect(form.ok).to.equal(false);
    expect(!form.ok && form.errors).to.deep.equal({
      email: 'validation.email',
      password: 'validation.passwordTooShort',
      passwordConfirm: 'validation.passwordMismatch',
    });
  });

  it("a common password, and one made of the email's name, are refused by the schema itself", () => {
    const common = parseForm(withNewPassword({}), { password: 'qwertyuiop', passwordConfirm: 'qwertyuiop' });
    expect(!common.ok && common.errors.password).to.equal('validation.passwordCommon');
    const personal = parseForm(withNewPassword({ email: emailField }), {
      email: 'zahra.ahmadi@example.org',
      password: 'zahra.ahmadi 2026!',
      passwordConfirm: 'zahra.ahmadi 2026!',
    });
    expect(!personal.ok && personal.errors.password).to.equal('validation.passwordPersonal');
    expect(
      parseForm(withNewPassword({}), {
        password: 'amber window harvest 9',
        passwordConfirm: 'amber window harvest 9',
      }).ok,
    ).to.equal(true);
  });
});
