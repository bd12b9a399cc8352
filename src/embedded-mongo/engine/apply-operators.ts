import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { arrayOperators } from './array-operators.js';
import { fieldOperators, type FieldOperator } from './field-operators.js';
import { numericOperators } from './numeric-operators.js';
import { comparePaths } from './update-paths.js';

const OPERATORS: Record<string, FieldOperator> = {
  ...fieldOperators,
  ...numericOperators,
  ...arrayOperators,
};

export function isUpdateOperator(name: string): boolean {
  return Object.hasOwn(OPERATORS, name);
}

/**
 * Applies an operator document (its paths concrete, checked and free of conflicts) to a private copy
 * of a document. Fields are visited in path order, as MongoDB's update does, so new fields land in
 * the same order; $rename counts at its target, where its field appears.
 */
export function applyOperators(doc: Document, modifier: Document): void {
  const steps: { apply: FieldOperator; path: string; arg: unknown; at: string }[] = [];
  for (const [op, fields] of Object.entries(modifier)) {
    const apply = OPERATORS[op];
    if (!apply || !Object.hasOwn(OPERATORS, op)) {
      throw new MongoCommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    for (const [path, arg] of Object.entries(fields as Document) as [string, unknown][]) {
      steps.push({ apply, path, arg, at: op === '$rename' && typeof arg === 'string' ? arg : path });
    }
  }
  steps.sort((a, b) => comparePaths(a.at, b.at));
  for (const { apply, path, arg } of steps) apply(doc, path, arg);
}
