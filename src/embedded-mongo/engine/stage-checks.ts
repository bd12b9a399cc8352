import type { Document } from 'bson';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import { compareValues } from '../bson/compare-values.js';
import { isPlainDocument } from '../bson/own-fields.js';
import { isNumeric, typeRank } from '../bson/type-order.js';
import { MongoCommandError } from '../errors.js';

/**
 * The checks MongoDB makes on a pipeline's stages before running any, with its codes: mingo accepted
 * some mistakes ({$sort: {a: 2}}, $unwind of a path without $) and refused others with a generic
 * error, where a client (and mongoose) expects MongoDB's code.
 */

function check(ok: boolean, code: number, message: string): void {
  if (!ok) throw new MongoCommandError(code, message);
}

const GROUP_ACCUMULATORS = new Set([...Object.keys(accumulatorOperators), '$accumulator']);

const UNWIND_OPTIONS = new Set(['path', 'includeArrayIndex', 'preserveNullAndEmptyArrays']);

function checkUnwind(spec: unknown): void {
  const path: unknown = isPlainDocument(spec) ? spec.path : spec;
  if (isPlainDocument(spec)) {
    for (const key of Object.keys(spec))
      check(UNWIND_OPTIONS.has(key), 28811, `unrecognized option to $unwind stage: ${key}`);
    check(path !== undefined, 28812, 'no path specified to $unwind stage');
  } else
    check(
      typeof spec === 'string',
      15981,
      'expected either a string or an object as specification for $unwind stage',
    );
  check(typeof path === 'string', 28808, 'expected a string as the path for $unwind stage');
  check(
    (path as string).startsWith('$'),
    28818,
    `path option to $unwind stage should be prefixed with a '$': ${String(path)}`,
  );
}

function checkGroup(spec: unknown): void {
  check(isPlainDocument(spec), 15947, "a group's fields must be specified in an object");
  const fields = spec as Document;
  check('_id' in fields, 15955, 'a group specification must include an _id');
  for (const [name, value] of Object.entries(fields)) {
    if (name === '_id' || !isPlainDocument(value)) continue;
    for (const op of Object.keys(value))
      check(GROUP_ACCUMULATORS.has(op), 15952, `unknown group operator '${op}'`);
  }
}

function checkBucket(spec: unknown): void {
  const { groupBy, boundaries, default: fallback, ...rest } = (isPlainDocument(spec) ? spec : {}) as Document;
  for (const key of Object.keys(rest))
    check(key === 'output', 40197, `Unrecognized option to $bucket: ${key}.`);
  check(
    groupBy !== undefined && boundaries !== undefined,
    40198,
    "$bucket requires 'groupBy' and 'boundaries' to be specified.",
  );
  check(Array.isArray(boundaries), 40200, "The $bucket 'boundaries' field must be an array");
  const bounds = boundaries as unknown[];
  check(
    bounds.length >= 2,
    40192,
    `The $bucket 'boundaries' field must have at least 2 values, but found ${bounds.length} value(s).`,
  );
  for (let i = 1; i < bounds.length; i++) {
    check(
      typeRank(bounds[i - 1]) === typeRank(bounds[i]),
      40193,
      "All values in the the 'boundaries' option to $bucket must have the same type.",
    );
    check(
      compareValues(bounds[i - 1], bounds[i]) < 0,
      40194,
      "The 'boundaries' option to $bucket must be sorted in ascending order",
    );
  }
  if (fallback !== undefined && typeRank(fallback) === typeRank(bounds[0])) {
    const outside = compareValues(fallback, bounds[0]) < 0 || compareValues(fallback, bounds.at(-1)) >= 0;
    check(
      outside,
      40199,
      "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.",
    );
  }
}

const STAGE_CHECKS: Record<string, (spec: unknown) => void> = {
  $limit: (n) => {
    check(isNumeric(n), 15957, 'the limit must be specified as a number');
    check(Number(n) > 0, 15958, 'the limit must be positive');
  },
  $skip: (n) => {
    check(isNumeric(n), 15972, 'Argument to $skip must be a number');
    check(Number(n) >= 0, 15956, 'Argument to $skip cannot be negative');
  },
  $sort: (spec) => {
    check(isPlainDocument(spec), 15973, 'the $sort key specification must be an object');
    const entries = Object.entries(spec as Document) as [string, unknown][];
    check(entries.length > 0, 15976, '$sort stage must have at least one sort key');
    for (const [, dir] of entries) {
      const ok = isPlainDocument(dir)
        ? '$meta' in dir
        : isNumeric(dir) && (Number(dir) === 1 || Number(dir) === -1);
      check(ok, 15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
  },
  $count: (field) => {
    check(typeof field === 'string', 40156, 'the count field must be a non-empty string');
    check(field !== '', 40157, 'the count field must be a non-empty string');
    check(!(field as string).startsWith('$'), 40158, 'the count field cannot be a $-prefixed path');
    check(!(field as string).includes('.'), 40160, "the count field cannot contain '.'");
  },
  $sample: (spec) => {
    check(isPlainDocument(spec), 28745, 'the $sample stage specification must be an object');
    const { size, ...rest } = spec as Document;
    for (const key of Object.keys(rest)) check(false, 28748, `unrecognized option to $sample: ${key}`);
    check(size !== undefined, 28749, '$sample stage must specify a size');
    check(isNumeric(size), 28746, 'size argument to $sample must be a number');
    check(Number(size) >= 0, 28747, 'size argument to $sample must not be negative');
  },
  $unwind: checkUnwind,
  $group: checkGroup,
  $bucket: checkBucket,
};

export function checkStages(pipeline: Document[]): void {
  for (const stage of pipeline) {
    const [name] = Object.keys(stage);
    const checkStage = name === undefined ? undefined : STAGE_CHECKS[name];
    checkStage?.(stage[name!] as unknown);
    if (name === '$facet' && isPlainDocument(stage.$facet)) {
      for (const sub of Object.values(stage.$facet)) if (Array.isArray(sub)) checkStages(sub as Document[]);
    }
  }
}
