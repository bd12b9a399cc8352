import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';

/**
 * The checks MongoDB makes on an update's arrayFilters before touching any document: each filter
 * names one identifier, no identifier twice, and every identifier is used by a `$[name]` of the
 * update; a filter nothing uses is a mistake, not something to ignore.
 */

function failedToParse(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.FailedToParse, message);
}

function identifiersUsed(u: Document | Document[]): Set<string> {
  const used = new Set<string>();
  if (Array.isArray(u)) return used;
  for (const fields of Object.values(u)) {
    if (fields === null || typeof fields !== 'object') continue;
    for (const path of Object.keys(fields as Document)) {
      for (const part of path.split('.')) {
        const m = /^\$\[(\w+)\]$/.exec(part);
        if (m) used.add(m[1]!);
      }
    }
  }
  return used;
}

export function checkArrayFilters(u: Document | Document[], arrayFilters: Document[] | undefined): void {
  if (!arrayFilters) return;
  const seen = new Set<string>();
  for (const filter of arrayFilters) {
    const names = new Set(Object.keys(filter).map((key) => key.split('.')[0]!));
    if (names.size !== 1) {
      throw failedToParse(
        `Error parsing array filter :: caused by :: Expected a single top-level field name, found ${[...names].join(', ') || 'none'}`,
      );
    }
    const [name] = names;
    if (seen.has(name!))
      throw failedToParse(`Found multiple array filters with the same top-level field name ${name}`);
    seen.add(name!);
  }
  const used = identifiersUsed(u);
  for (const name of seen) {
    if (!used.has(name))
      throw failedToParse(`The array filter for identifier '${name}' was not used in the update`);
  }
}
