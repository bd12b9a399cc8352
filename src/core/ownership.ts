import type { Request, RequestHandler } from 'express';
import { Types } from 'mongoose';
import { AppError } from './app-error.js';
import { hasRole, type Role } from './roles.js';

export interface OwnedLoader<T> {
  /** The route parameter holding the id (default "id"). */
  param?: string;
  /** Where the loaded record goes in res.locals. */
  local: string;
  find(id: string): Promise<T | null>;
  /** The ids of the people who own the record (its author, its subject). */
  owners(record: T): string[];
  /** Roles that may open any such record. */
  bypass: Role[];
}

/**
 * Turns `:id` into `res.locals[local]` for its owners and the bypass roles. A malformed id, a missing
 * record and someone else's record all answer 404 alike, so ids cannot be probed for what exists.
 * Anonymous visitors are sent to sign in first (requireAuth runs before it).
 */
export function loadOwned<T>(loader: OwnedLoader<T>): RequestHandler {
  return async (req: Request, res, next) => {
    const id = req.params[loader.param ?? 'id'];
    if (typeof id !== 'string' || !Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id))
      throw AppError.notFound();
    const record = await loader.find(id);
    const user = req.user;
    if (!record || !user) throw AppError.notFound();
    if (!loader.owners(record).includes(user.id) && !hasRole(user, ...loader.bypass))
      throw AppError.notFound();
    res.locals[loader.local] = record;
    next();
  };
}
