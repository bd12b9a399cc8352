import { z } from 'zod';
import { requiredText } from '../core/form-fields.js';

export const settingsSchema = z.object({
  // The same rules as every other name: no control or bidi-override characters, not only invisible ones.
  organisationName: requiredText(200),
  registrationMode: z.enum(['open', 'invite'], { message: 'validation.required' }),
});

/** The logo: a photo or drawing of the organisation's mark, small enough for a slow connection. */
export const LOGO_RULE = {
  field: 'logo',
  kinds: { 'image/png': ['png'], 'image/jpeg': ['jpg', 'jpeg'], 'image/webp': ['webp'] },
  maxBytes: 1024 * 1024,
} as const;
