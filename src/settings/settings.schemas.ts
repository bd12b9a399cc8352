import { z } from 'zod';
import { requiredText } from '../core/form-fields.js';

export const settingsSchema = z.object({
  // The same rules as every other name: no control or bidi-override characters, not only invisible ones.
  organisationName: requiredText(200),
  registrationMode: z.enum(['open', 'invite'], { message: 'validation.required' }),
});
