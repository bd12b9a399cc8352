import { evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import type { AnyObject, Options } from 'mingo/types';
import { compareValues } from '../bson/compare-values.js';
import { addNumbers } from '../bson/number-arithmetic.js';
import { isNumeric } from '../bson/type-order.js';
import { encodeKey } from '../bson/value-keys.js';
import { sortByFields } from './sort-order.js';

/**
 * Group accumulators where mingo's answer differs from MongoDB's: $sum over Long/Decimal128, $max and
 * $min in cross-type order, and $top/$bottom/$topN/$bottomN (mingo sorts them by its own order and
 * wraps $top's and $bottom's single result in an array).
 */

export type Accumulator = (coll: AnyObject[], expr: unknown, options: Options) => unknown;

const $sum: Accumulator = (coll, expr, options) => {
  if (typeof expr === 'number') return coll.length * expr;
  const values = accumulatorOperators.$push(coll, expr, options);
  let total: unknown = 0;
  for (const v of values) {
    if (typeof v === 'number' && typeof total === 'number') total += v;
    else if (isNumeric(v)) total = addNumbers(total, v);
  }
  return total;
};

/** $max/$min in $group: MongoDB's cross-type order; missing and null values are ignored. */
function extremeAccumulator(sign: 1 | -1): Accumulator {
  return (coll, expr, options) => {
    let best: unknown = null;
    for (const v of accumulatorOperators.$push(coll, expr, options)) {
      if (v === null || v === undefined) continue;
      if (best === null || compareValues(v, best) * sign > 0) best = v;
    }
    return best;
  };
}

interface TopSpec {
  n?: unknown;
  sortBy: Record<string, 1 | -1>;
  output: unknown;
}

function selectSorted(end: 'top' | 'bottom', single: boolean): Accumulator {
  return (coll, expr, options) => {
    const spec = expr as TopSpec;
    const groupId = (options as { local?: { groupId?: unknown } }).local?.groupId;
    const n = single ? 1 : Number(evalExpr(groupId, spec.n, options));
    if (!Number.isInteger(n) || n < 1) throw new Error(`'n' must be a positive integer, got ${String(n)}`);
    const sorted = sortByFields(coll, Object.entries(spec.sortBy));
    const chosen = end === 'top' ? sorted.slice(0, n) : sorted.slice(Math.max(0, sorted.length - n));
    const outputs = accumulatorOperators.$push(chosen, spec.output, options);
    return single ? (outputs[0] ?? null) : outputs;
  };
}

interface RootOptions extends Options {
  update(locals: object): Options;
}

/** The values of an expression over a group, missing ones left out as MongoDB leaves them out. */
function presentValues(coll: AnyObject[], expr: unknown, options: Options): unknown[] {
  // mingo hands accumulators an instance of its ComputeOptions, whose init makes an independent copy.
  const init = (options.constructor as { init?: (o: Options) => RootOptions }).init;
  const copts = init ? init(options) : (options as RootOptions);
  const values: unknown[] = [];
  for (const root of coll) {
    const v = evalExpr(root, expr, copts.update({ root }));
    if (v !== undefined) values.push(v);
  }
  return values;
}

/** $push of missing values adds nothing; mingo pushed null for them. */
const $push: Accumulator = (coll, expr, options) => presentValues(coll, expr, options);

/** $addToSet by MongoDB's equality: 1 and Long(1) are one value, as in $group's _id. */
const $addToSet: Accumulator = (coll, expr, options) => {
  const seen = new Map<string, unknown>();
  for (const v of presentValues(coll, expr, options)) {
    const key = encodeKey(v);
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()];
};

export const accumulatorOverrides: Record<string, Accumulator> = {
  $sum,
  $push,
  $addToSet,
  $max: extremeAccumulator(1),
  $min: extremeAccumulator(-1),
  $top: selectSorted('top', true),
  $bottom: selectSorted('bottom', true),
  $topN: selectSorted('top', false),
  $bottomN: selectSorted('bottom', false),
};
