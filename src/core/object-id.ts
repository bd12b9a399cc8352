import { Types } from 'mongoose';
import { AppError } from './app-error.js';

/**
 * An id from an address or a form as an ObjectId. Anything that is not 24 hex digits is a 404: to the
 * person asking, a malformed id and an unknown one are the same missing page.
 */
export function idOr404(value: unknown): Types.ObjectId {
  if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value)) throw AppError.notFound();
  return new Types.ObjectId(value);
}
