import { z } from 'zod';

export const settingsSchema = z.object({
  organisationName: z
    .string({ message: 'validation.required' })
    .trim()
    .min(1, { message: 'validation.required' })
    .max(200, { message: 'validation.tooLong' }),
  registrationMode: z.enum(['open', 'invite'], { message: 'validation.required' }),
});
