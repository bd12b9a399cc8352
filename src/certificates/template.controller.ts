import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import { linkOrigin } from '../core/link-origin.js';
import type { FileStore } from '../core/file-store.js';
import { optionalText } from '../core/form-fields.js';
import type { UploadRule } from '../core/upload.js';
import { isLocale, SUPPORTED_LOCALES, type Locale } from '../core/i18n.js';
import {
  formList,
  formText,
  formTexts,
  formValues,
  parseForm,
  type FieldErrors,
  type FormValues,
} from '../core/validation.js';
import { certificatePdf, printContext, type PrintDeps } from './certificate-print.js';
import {
  getSignatures,
  getTemplate,
  saveTemplate,
  setSignature,
  SIGNATORY_SLOTS,
  type CertificateTemplate,
  type SignatureImage,
} from './certificate-template.js';
import type { CertificateDoc } from './certificate.model.js';

/** The admin's certificate template: organisation names, languages, colour, signatories, and a preview. */

async function render(
  req: Request,
  res: Response,
  template: CertificateTemplate,
  errors: FieldErrors = {},
): Promise<void> {
  res.render('certificates/template', {
    title: req.t('certificates.template.title'),
    template,
    signatures: await getSignatures(),
    errors,
    locales: SUPPORTED_LOCALES,
    notice: req.query.saved === '1' ? 'certificates.template.saved' : undefined,
  });
}

export const showTemplate: RequestHandler = async (req, res) => render(req, res, await getTemplate());

/** Signature images: PNG or JPEG (what pdfkit draws), up to 1 MB. */
export const SIGNATURE_RULE: UploadRule = {
  field: 'signature',
  kinds: { 'image/png': ['png'], 'image/jpeg': ['jpg', 'jpeg'] },
  maxBytes: 1024 * 1024,
};

const slotOf = (req: Request) => {
  const slot = Number(req.params.slot);
  if (!/^\d$/.test(String(req.params.slot)) || slot >= SIGNATORY_SLOTS) throw AppError.notFound();
  return slot;
};

/** Checked before the upload is read, so a wrong slot stores nothing. */
export const knownSlot: RequestHandler = (req, _res, next) => {
  slotOf(req);
  next();
};

/** A signatory's signature image: stored, put in its slot, and the image it replaces removed. */
export function postSignature(files: FileStore): RequestHandler {
  return async (req, res) => {
    const slot = slotOf(req);
    const upload = req.upload;
    if (!upload) {
      res.status(req.uploadRefusal?.status ?? 422);
      return render(req, res, await getTemplate(), {
        [`signature${slot}`]: req.uploadRefusal?.message ?? 'validation.chooseImage',
      });
    }
    let old: SignatureImage | null;
    try {
      old = await setSignature(slot, { fileId: upload.id, mime: upload.mime, size: upload.size });
    } catch (err) {
      await files.remove(upload.id);
      throw err;
    }
    if (old) await files.remove(old.fileId);
    res.redirect(303, '/admin/certificate-template?saved=1');
  };
}

export function deleteSignature(files: FileStore): RequestHandler {
  return async (req, res) => {
    const old = await setSignature(slotOf(req), null);
    if (old) await files.remove(old.fileId);
    res.redirect(303, '/admin/certificate-template?saved=1');
  };
}

const signatoryField = z
  .union([z.string(), z.array(z.string()).max(3, { message: 'certificates.template.errors.signatories' })], {
    message: 'certificates.template.errors.signatories',
  })
  .optional();

const templateSchema = z.object({
  organisation: z.record(z.string(), optionalText(200)).optional(),
  locales: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => [...new Set(formList(v))].filter((l): l is Locale => isLocale(l)))
    .refine((v) => v.length >= 1 && v.length <= 3, { message: 'certificates.template.errors.locales' }),
  main: z.string().refine(isLocale, { message: 'certificates.template.errors.locales' }),
  colour: z
    .string({ message: 'certificates.template.errors.colour' })
    .regex(/^#[0-9a-fA-F]{6}$/, { message: 'certificates.template.errors.colour' }),
  signatoryName: signatoryField,
  signatoryTitle: signatoryField,
});

const clean = optionalText(120);

/** The saved template with what the admin sent laid over it, so a refused form shows what was typed. */
function asTyped(template: CertificateTemplate, typed: FormValues): CertificateTemplate {
  const organisation = Object.entries(formTexts(typed.organisation)).filter(([l]) => isLocale(l));
  const ticked = formList(typed.locales).filter(isLocale);
  const main = isLocale(typed.main) ? typed.main : undefined;
  const [names, titles] = [formList(typed.signatoryName), formList(typed.signatoryTitle)];
  const colour = formText(typed.colour);
  return {
    organisation: { ...template.organisation, ...Object.fromEntries(organisation) },
    locales: main ? [main, ...ticked.filter((l) => l !== main)] : ticked,
    colour: /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : template.colour,
    signatories: Array.from({ length: SIGNATORY_SLOTS }, (_, i) => ({
      name: names[i] ?? '',
      title: titles[i] ?? '',
    })),
  };
}

export const postTemplate: RequestHandler = async (req, res) => {
  const form = parseForm(templateSchema, req.body);
  if (!form.ok) {
    res.status(422);
    await render(req, res, asTyped(await getTemplate(), form.values), form.errors);
    return;
  }
  const d = form.data;
  const names = formList(d.signatoryName).map((v) => clean.safeParse(v));
  const titles = formList(d.signatoryTitle).map((v) => clean.safeParse(v));
  const refused = [...names, ...titles].find((r) => !r.success);
  if (refused) {
    res.status(422);
    await render(req, res, asTyped(await getTemplate(), formValues(req.body)), {
      signatories: refused.error?.issues[0]?.message ?? 'validation.badCharacters',
    });
    return;
  }
  // Signatories keep their places (a signature image belongs to a place): an empty name leaves the place
  // empty rather than moving the next signatory up under the wrong signature.
  const signatories = Array.from({ length: SIGNATORY_SLOTS }, (_, i) => ({
    name: names[i]?.success ? names[i].data : '',
    title: titles[i]?.success ? titles[i].data : '',
  }));
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
    const ctx = await printContext(deps, linkOrigin(req, deps.baseUrl));
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
