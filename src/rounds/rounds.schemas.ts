import { z } from 'zod';
import { optionalLongText, optionalText, requiredText } from '../core/form-fields.js';

const day = z
  .string({ message: 'validation.date' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' });

/** A round's details; the dates' order and length are the service's rules (they come back as field errors). */
export const roundSchema = z.object({
  name: requiredText(200),
  startDate: day,
  endDate: day,
  venue: optionalText(200),
  province: optionalText(100),
  // One partner organisation per line.
  partners: optionalLongText(4000).transform((v, ctx) => {
    const list = [
      ...new Set(
        v
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ];
    if (list.length > 20 || list.some((l) => l.length > 200))
      ctx.addIssue({ code: 'custom', message: 'rounds.tooManyPartners' });
    return list;
  }),
});

/** Emails separated by lines, commas, semicolons or spaces, as pasted from a spreadsheet or a mail. */
export const emailsSchema = z.object({
  emails: optionalLongText(100_000).transform((v, ctx) => {
    const list = [
      ...new Set(
        v
          .split(/[\s,;]+/)
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'validation.required' });
    if (list.length > 1000) ctx.addIssue({ code: 'custom', message: 'rounds.tooManyAtOnce' });
    return list;
  }),
});

export const idSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/i, { message: 'validation.required' }),
});

/**
 * The attendance grid: `present[<day>]` lists the ticked members of each day; `days` names every day the
 * form showed, so a day whose boxes were all cleared is saved as nobody present.
 */
export const attendanceSchema = z.object({
  days: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(day).max(62)),
  present: z
    .record(z.string(), z.union([z.string(), z.array(z.string()).max(2000)]))
    .optional()
    .transform((rec) =>
      Object.fromEntries(Object.entries(rec ?? {}).map(([d, ids]) => [d, Array.isArray(ids) ? ids : [ids]])),
    ),
});
