import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { optionalText } from '../core/form-fields.js';
import { isLocale, SUPPORTED_LOCALES, type Locale } from '../core/i18n.js';
import { parseForm, type FieldErrors } from '../core/validation.js';
import { certificatePdf, printContext, type PrintDeps } from './certificate-print.js';
import { getTemplate, saveTemplate, type CertificateTemplate } from './certificate-template.js';
import type { CertificateDoc } from './certificate.model.js';

/** The admin's certificate template: organisation names, languages, colour, signatories, and a preview. */

function render(req: Request, res: Response, template: CertificateTemplate, errors: FieldErrors = {}): void {
  res.render('certificates/template', {
    title: req.t('certificates.template.title'),
    template,
    errors,
    locales: SUPPORTED_LOCALES,
    notice: req.query.saved === '1' ? 'certificates.template.saved' : undefined,
  });
}

export const showTemplate: RequestHandler = async (req, res) => render(req, res, await getTemplate());

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const templateSchema = z.object({
  organisation: z.record(z.string(), optionalText(200)).optional(),
  locales: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => [...new Set(list(v))].filter((l): l is Locale => isLocale(l)))
    .refine((v) => v.length >= 1 && v.length <= 3, { message: 'certificates.template.errors.locales' }),
  main: z.string().refine(isLocale, { message: 'certificates.template.errors.locales' }),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'certificates.template.errors.colour' }),
  signatoryName: z.union([z.string(), z.array(z.string()).max(3)]).optional(),
  signatoryTitle: z.union([z.string(), z.array(z.string()).max(3)]).optional(),
});

const clean = optionalText(120);

export const postTemplate: RequestHandler = async (req, res) => {
  const form = parseForm(templateSchema, req.body);
  if (!form.ok) {
    res.status(422);
    return render(req, res, await getTemplate(), form.errors);
  }
  const d = form.data;
  const names = list(d.signatoryName).map((v) => clean.safeParse(v));
  const titles = list(d.signatoryTitle).map((v) => clean.safeParse(v));
  if ([...names, ...titles].some((r) => !r.success)) {
    res.status(422);
    return render(req, res, await getTemplate(), { signatories: 'validation.badCharacters' });
  }
  const signatories = names
    .map((n, i) => ({ name: n.success ? n.data : '', title: titles[i]?.success ? titles[i].data : '' }))
    .filter((s) => s.name);
  // The main language leads; the others follow in the order offered.
  const locales = [d.main, ...d.locales.filter((l) => l !== d.main)].slice(0, 3);
  await saveTemplate({
    organisation: Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, d.organisation?.[l] ?? ''])),
    locales,
    colour: d.colour.toLowerCase(),
    signatories,
  });
  res.redirect(303, '/admin/certificate-template?saved=1');
};

/** A sample certificate with the template as saved, the admin's own name, and a made-up course. */
export function previewTemplate(deps: PrintDeps): RequestHandler {
  return async (req, res) => {
    const ctx = await printContext(deps, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
    const sample = {
      code: 'PREVIEW2345X',
      snapshot: {
        nameLatin: req.user!.displayName,
        nameLocal: 'احمد شبیر صافی',
        courseTitle: Object.fromEntries(
          ctx.look.locales.map((l) => [l, deps.i18n.getFixedT(l)('certificates.template.sampleCourse')]),
        ),
        hours: 12,
        score: 86,
        completedAt: new Date(),
        roundName: '',
        organisation: '',
      },
    } as unknown as CertificateDoc;
    res.type('application/pdf');
    res.setHeader('Content-Disposition', 'inline; filename="certificate-preview.pdf"');
    certificatePdf(ctx, sample).pipe(res);
  };
}
