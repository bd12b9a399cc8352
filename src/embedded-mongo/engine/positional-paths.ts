import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { compileFilter } from './compile-filter.js';

/**
 * Resolves the positional update operators into concrete paths before anything is applied: `$` (the
 * first element the query matched), `$[]` (every element) and `$[name]` (the elements an arrayFilter
 * accepts). With concrete paths, two fields of the same element (`items.$.s` and `items.$.by`) are
 * simply two paths, as in MongoDB; mingo saw them as a conflict on `items` and refused the update.
 */

type Container = Record<string, unknown> | unknown[];

function positionalNotFound(): MongoCommandError {
  return new MongoCommandError(
    ErrorCodes.BadValue,
    'The positional operator did not find the match needed from the query.',
  );
}

/** The query's conditions on one array path (and below it), $and clauses included. */
function conditionsOn(condition: Document, arrayPath: string, out: Document = {}): Document {
  for (const [key, value] of Object.entries(condition) as [string, unknown][]) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value as Document[]) conditionsOn(clause, arrayPath, out);
    } else if (key === arrayPath || key.startsWith(`${arrayPath}.`)) {
      out[key] = value;
    }
  }
  return out;
}

function nest(path: string, value: unknown): Document {
  const parts = path.split('.');
  let doc: Document = { [parts.pop()!]: value };
  while (parts.length > 0) doc = { [parts.pop()!]: doc };
  return doc;
}

/** Index of the first element of the array at `arrayPath` that the query's conditions on it match. */
function firstMatchedIndex(array: unknown[], arrayPath: string, condition: Document): number {
  const matcher = compileFilter(conditionsOn(condition, arrayPath));
  if (!matcher) throw positionalNotFound();
  const index = array.findIndex((element) => matcher.test(nest(arrayPath, [element])));
  if (index < 0) throw positionalNotFound();
  return index;
}

/** Which elements an arrayFilter named `name` accepts: its conditions tested on {name: element}. */
function filterFor(name: string, arrayFilters: Document[] | undefined): (element: unknown) => boolean {
  const spec: Document = {};
  for (const filter of arrayFilters ?? []) {
    for (const [key, value] of Object.entries(filter) as [string, unknown][]) {
      if (key === name || key.startsWith(`${name}.`)) spec[key] = value;
    }
  }
  if (Object.keys(spec).length === 0) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `No array filter found for identifier '${name}' in path`,
    );
  }
  const matcher = compileFilter(spec)!;
  return (element) => matcher.test({ [name]: element });
}

/** The concrete paths one positional path stands for in `doc`. */
function expand(doc: Document, path: string, condition: Document, arrayFilters?: Document[]): string[] {
  const parts = path.split('.');
  let states: { prefix: string[]; value: unknown }[] = [{ prefix: [], value: doc }];
  for (const part of parts) {
    const next: typeof states = [];
    for (const { prefix, value } of states) {
      const positional = part === '$' || /^\$\[\w*\]$/.test(part);
      if (!positional) {
        const child = value !== null && typeof value === 'object' ? (value as Container) : undefined;
        next.push({
          prefix: [...prefix, part],
          value: child ? (child as Record<string, unknown>)[part] : undefined,
        });
        continue;
      }
      if (!Array.isArray(value)) {
        throw new MongoCommandError(
          ErrorCodes.BadValue,
          `The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`,
        );
      }
      const array = value as unknown[];
      let indexes: number[];
      if (part === '$')
        indexes = [firstMatchedIndex(array, prefix.filter((p) => !/^\d+$/.test(p)).join('.'), condition)];
      else if (part === '$[]') indexes = array.map((_, i) => i);
      else {
        const accepts = filterFor(part.slice(2, -1), arrayFilters);
        indexes = array.flatMap((element, i) => (accepts(element) ? [i] : []));
      }
      for (const i of indexes) next.push({ prefix: [...prefix, String(i)], value: array[i] });
    }
    states = next;
  }
  return states.map((s) => s.prefix.join('.'));
}

function isPositional(path: string): boolean {
  return path.split('.').some((p) => p === '$' || /^\$\[\w*\]$/.test(p));
}

/** The operator document with every positional path replaced by the concrete paths it stands for. */
export function resolvePositionalPaths(
  doc: Document,
  modifier: Document,
  condition: Document,
  arrayFilters: Document[] | undefined,
): Document {
  const out: Document = {};
  for (const [op, fields] of Object.entries(modifier)) {
    const concrete: Document = {};
    for (const [path, value] of Object.entries(fields as Document) as [string, unknown][]) {
      if (!isPositional(path)) {
        concrete[path] = value;
        continue;
      }
      for (const p of expand(doc, path, condition, arrayFilters)) concrete[p] = value;
    }
    if (Object.keys(concrete).length > 0) out[op] = concrete;
  }
  return out;
}

export function hasPositionalPaths(modifier: Document): boolean {
  return Object.values(modifier).some((fields) => Object.keys(fields as Document).some(isPositional));
}
