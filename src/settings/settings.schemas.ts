import { z } from 'zod';
import { isTimeZone } from '../core/dates.js';
import { requiredText } from '../core/form-fields.js';

export const settingsSchema = z.object({
  // The same rules as every other name: no control or bidi-override characters, not only invisible ones.
  organisationName: requiredText(200),
  registrationMode: z.enum(['open', 'invite'], { message: 'validation.required' }),
  // Absent (an older form, a script): the time zone stays as it is.
  timeZone: z
    .string({ message: 'validation.timeZone' })
    .refine(isTimeZone, { message: 'validation.timeZone' })
    .optional(),
});

/** The logo: a photo or drawing of the organisation's mark, small enough for a slow connection. */
export const LOGO_RULE = {
  field: 'logo',
  kinds: { 'image/png': ['png'], 'image/jpeg': ['jpg', 'jpeg'], 'image/webp': ['webp'] },
  maxBytes: 1024 * 1024,
} as const;
