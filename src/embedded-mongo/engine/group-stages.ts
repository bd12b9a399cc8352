import { evalExpr } from 'mingo/core';
import { Lazy } from 'mingo/lazy';
import type { AnyObject, Options } from 'mingo/types';
import { compareValues } from '../bson/compare-values.js';
import { typeRank } from '../bson/type-order.js';
import { encodeKey } from '../bson/value-keys.js';
import { MongoCommandError } from '../errors.js';
import type { Stage } from './pipeline-stages.js';
import { sortByFields } from './sort-order.js';

/**
 * The stages that group documents, by MongoDB's equality and order of values where mingo hashed
 * and compared them its own way: $group, $sortByCount, $bucket (a value on an inner boundary goes
 * to the bucket it opens, and empty buckets are left out), and $sort, which they all lean on.
 */

/** Cross-type aware $sort (mingo's compare orders bson values by their string form). */
const $sort: Stage = (coll, spec) => {
  const fields = Object.entries(spec as Record<string, 1 | -1>);
  return coll.transform((docs: unknown[]) => Lazy(sortByFields(docs, fields)));
};

/** What a $group stage computes its accumulators with: mingo's options, with the group's _id. */
interface GroupOptions extends Options {
  update(locals: object): Options;
}

/**
 * $group by MongoDB's equality of _id values: 1, 1.0, Long(1) and Decimal128('1.0') are one group
 * (mingo hashed them apart), and a missing _id is null. Accumulators are mingo's, given the group.
 */
const $group: Stage = (coll, expr, options) => {
  const { _id: idExpr, ...fields } = expr as AnyObject;
  // mingo hands stages an instance of its ComputeOptions, whose init makes an independent copy.
  const init = (options.constructor as { init?: (o: Options) => GroupOptions }).init;
  const copts = init ? init(options) : (options as GroupOptions);
  return coll.transform((docs: unknown[]) => {
    const groups = new Map<string, { id: unknown; members: AnyObject[] }>();
    for (const doc of docs as AnyObject[]) {
      const id = evalExpr(doc, idExpr, options) ?? null;
      const key = encodeKey(id);
      const group = groups.get(key);
      if (group) group.members.push(doc);
      else groups.set(key, { id, members: [doc] });
    }
    return Lazy(
      [...groups.values()].map(({ id, members }) => {
        const out: AnyObject = { _id: id };
        const local = copts.update({ root: null, groupId: id });
        for (const [field, accumulator] of Object.entries(fields))
          out[field] = evalExpr(members, accumulator, local);
        return out;
      }),
    );
  });
};

const $sortByCount: Stage = (coll, expr, options) =>
  $sort($group(coll, { _id: expr, count: { $sum: 1 } }, options), { count: -1 }, options);

interface BucketSpec {
  groupBy: unknown;
  boundaries: unknown[];
  default?: unknown;
  output?: AnyObject;
}

const $bucket: Stage = (coll, expr, options) => {
  const spec = expr as BucketSpec;
  const bounds = spec.boundaries; // checked by stage-checks.ts before the pipeline runs
  const output = spec.output ?? { count: { $sum: 1 } };
  return coll.transform((docs: unknown[]) => {
    const groups = bounds.slice(0, -1).map(() => [] as AnyObject[]);
    const others: AnyObject[] = [];
    for (const doc of docs as AnyObject[]) {
      const key = evalExpr(doc, spec.groupBy, options);
      const inRange =
        typeRank(key) === typeRank(bounds[0]) &&
        compareValues(key, bounds[0]) >= 0 &&
        compareValues(key, bounds[bounds.length - 1]) < 0;
      if (!inRange) {
        if (spec.default === undefined) {
          const message =
            '$switch could not find a matching branch for an input, and no default was specified.';
          throw new MongoCommandError(40066, message);
        }
        others.push(doc);
        continue;
      }
      // The bucket whose lower boundary is the last one not above the value: [lower, upper).
      let i = bounds.length - 2;
      while (compareValues(key, bounds[i]) < 0) i--;
      groups[i]!.push(doc);
    }
    const out: AnyObject[] = [];
    groups.forEach((group, i) => {
      if (group.length > 0) out.push({ _id: bounds[i], ...(evalExpr(group, output, options) as AnyObject) });
    });
    if (others.length > 0)
      out.push({ _id: spec.default, ...(evalExpr(others, output, options) as AnyObject) });
    return Lazy(out);
  });
};

export const groupStages: Record<string, Stage> = { $sort, $group, $sortByCount, $bucket };
