import { formList } from '../core/validation.js';
import { z } from 'zod';
import { optionalLongText, optionalText, requiredText } from '../core/form-fields.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import { COURSE_STATUSES } from './course.model.js';

/** A text per language, sent as `title[en]`, `title[fa-AF]`, … */
const localText = (max: number, lines: 'one' | 'several' = 'one') =>
  z
    .object(
      Object.fromEntries(
        SUPPORTED_LOCALES.map((l) => [l, lines === 'one' ? optionalText(max) : optionalLongText(max)]),
      ) as Record<(typeof SUPPORTED_LOCALES)[number], ReturnType<typeof optionalText>>,
      { message: 'errors.badRequest' },
    )
    .optional()
    .transform((v) => v ?? { en: '', 'fa-AF': '', 'ps-AF': '' });

const localeList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform(formList)
  .pipe(
    z
      .array(z.enum(SUPPORTED_LOCALES, { message: 'validation.locale' }))
      .min(1, { message: 'courses.errors.chooseLanguage' })
      .max(3, { message: 'validation.locale' })
      .transform((list) => [...new Set(list)]),
  );

export const courseSchema = z.object({
  slug: z
    .string({ message: 'validation.required' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$/, { message: 'courses.errors.slug' }),
  primaryLocale: z.enum(SUPPORTED_LOCALES, { message: 'validation.locale' }),
  locales: localeList,
  title: localText(200),
  summary: localText(2000, 'several'),
  estimatedHours: z.coerce
    .number({ message: 'courses.errors.hours' })
    .min(0, { message: 'courses.errors.hours' })
    .max(1000, { message: 'courses.errors.hours' })
    .transform((h) => Math.round(h * 2) / 2),
  selfEnrol: z
    .string()
    .max(10)
    .optional()
    .transform((v) => v !== undefined),
});

export const statusSchema = z.object({ status: z.enum(COURSE_STATUSES) });

export const authorSchema = z.object({ email: requiredText(254) });

export const titleSchema = z.object({ title: localText(200) });

export const lessonSchema = z.object({
  title: localText(200),
  body: localText(100_000, 'several'),
  /** The "Preview" button: show the rendered lesson instead of saving. */
  preview: z.string().max(10).optional(),
});

export const moveSchema = z.object({ direction: z.enum(['up', 'down']) });

/** Upload rules per kind: the type comes from the content; sizes from configuration. */
export const ATTACHMENT_KINDS_BY_MIME: Readonly<
  Record<string, { kind: 'document' | 'image' | 'audio' | 'video'; exts: string[] }>
> = {
  'application/pdf': { kind: 'document', exts: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    kind: 'document',
    exts: ['pptx'],
  },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    kind: 'document',
    exts: ['docx'],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document', exts: ['xlsx'] },
  'application/vnd.oasis.opendocument.presentation': { kind: 'document', exts: ['odp'] },
  'application/vnd.oasis.opendocument.text': { kind: 'document', exts: ['odt'] },
  'image/png': { kind: 'image', exts: ['png'] },
  'image/jpeg': { kind: 'image', exts: ['jpg', 'jpeg'] },
  'image/webp': { kind: 'image', exts: ['webp'] },
  'audio/mpeg': { kind: 'audio', exts: ['mp3'] },
  'audio/x-m4a': { kind: 'audio', exts: ['m4a'] },
  'audio/mp4': { kind: 'audio', exts: ['m4a'] },
  'audio/ogg': { kind: 'audio', exts: ['ogg'] },
  // Voice recordings from phones: Opus in Ogg, and AAC in an MP4 box whose brand says "video".
  'audio/ogg; codecs=opus': { kind: 'audio', exts: ['ogg', 'opus'] },
  'video/mp4': { kind: 'video', exts: ['mp4', 'm4a'] },
  'video/webm': { kind: 'video', exts: ['webm'] },
};
