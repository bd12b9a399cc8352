import { Schema } from 'mongoose';
import { defineModel } from '../core/models.js';
import { isLocale, SUPPORTED_LOCALES, type Locale } from '../core/i18n.js';
import { isDuplicateKey } from '../core/app-error.js';
import { sharedCache, signalChange } from '../core/shared-cache.js';

/**
 * How certificates look, set by an admin: the organisation's name per language, the languages on the
 * certificate (the main one first), the colour, and up to three signatories. One document; read for every
 * certificate printed, so kept in memory and dropped on change on every instance.
 */

export interface TemplateSignatory {
  name: string;
  title: string;
}

export interface CertificateTemplate {
  organisation: Partial<Record<Locale, string>>;
  locales: Locale[];
  colour: string;
  signatories: TemplateSignatory[];
}

/** A signature image, kept in the FileStore; slot N belongs to signatory N. */
export interface SignatureImage {
  fileId: string;
  mime: string;
  size: number;
}

export const SIGNATORY_SLOTS = 3;

export const DEFAULT_TEMPLATE: CertificateTemplate = {
  organisation: {},
  locales: ['en', 'fa-AF'],
  colour: '#1f4e79',
  signatories: [],
};

const TEMPLATE_ID = 'certificate';
const CHANGED = 'certificate-template';

const templateSchema = new Schema(
  {
    _id: { type: String, default: TEMPLATE_ID },
    organisation: new Schema(
      Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, { type: String, default: '', maxlength: 200 }])),
      { _id: false },
    ),
    locales: { type: [String], enum: SUPPORTED_LOCALES, default: DEFAULT_TEMPLATE.locales },
    colour: { type: String, match: /^#[0-9a-f]{6}$/i, default: DEFAULT_TEMPLATE.colour },
    signatories: {
      type: [
        new Schema(
          { name: { type: String, maxlength: 120 }, title: { type: String, maxlength: 120 } },
          { _id: false },
        ),
      ],
      default: [],
    },
    // Apart from the signatories, so saving names and titles never drops (or orphans) an image.
    // Mixed: a slot may be empty (null), which an array of subdocuments cannot hold.
    signatures: { type: [Schema.Types.Mixed], default: undefined },
  },
  { timestamps: true },
);
const Template = defineModel('CertificateTemplate', templateSchema);
const cached = sharedCache<CertificateTemplate>(CHANGED);

export async function getTemplate(): Promise<CertificateTemplate> {
  return cached.get(TEMPLATE_ID, async () => {
    const doc = await Template.findById(TEMPLATE_ID).lean();
    if (!doc) return DEFAULT_TEMPLATE;
    const locales = (doc.locales ?? []).filter(isLocale);
    return {
      organisation: { ...(doc.organisation ?? {}) },
      locales: locales.length ? locales : DEFAULT_TEMPLATE.locales,
      colour: doc.colour ?? DEFAULT_TEMPLATE.colour,
      signatories: (doc.signatories ?? []).map((s) => ({ name: s.name ?? '', title: s.title ?? '' })),
    };
  });
}

export async function getSignatures(): Promise<(SignatureImage | null)[]> {
  const doc = await Template.findById(TEMPLATE_ID, { signatures: 1 }).lean<{
    signatures?: (SignatureImage | null)[];
  }>();
  return Array.from({ length: SIGNATORY_SLOTS }, (_, i) =>
    doc?.signatures?.[i]?.fileId ? doc.signatures[i] : null,
  );
}

/**
 * Puts an image in a signatory's slot (null takes it out) and gives back the one it replaced, for the
 * caller to remove from the FileStore: one atomic update, so two uploads at once leave no file unknown.
 */
export async function setSignature(
  slot: number,
  image: SignatureImage | null,
): Promise<SignatureImage | null> {
  // The slots exist first (a template saved before signatures, or none yet); an existing one is a duplicate.
  try {
    await Template.updateOne(
      { _id: TEMPLATE_ID, signatures: { $exists: false } },
      { $set: { signatures: Array.from({ length: SIGNATORY_SLOTS }, () => null) } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const before = await Template.findOneAndUpdate(
    { _id: TEMPLATE_ID },
    { $set: { [`signatures.${slot}`]: image } },
    { projection: { signatures: 1 } },
  ).lean<{ signatures?: (SignatureImage | null)[] }>();
  await signalChange(CHANGED);
  const old = before?.signatures?.[slot];
  return old?.fileId && old.fileId !== image?.fileId ? old : null;
}

export async function saveTemplate(template: CertificateTemplate): Promise<void> {
  await Template.updateOne({ _id: TEMPLATE_ID }, { $set: template }, { upsert: true, runValidators: true });
  await signalChange(CHANGED);
}
