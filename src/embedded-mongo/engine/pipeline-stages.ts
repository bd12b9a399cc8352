import type { Document } from 'bson';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as pipelineOperators from 'mingo/operators/pipeline';
import type { Options } from 'mingo/types';
import { idFirst } from '../bson/own-fields.js';

/**
 * Aggregation stages where mingo's answer differs from MongoDB's, replaced by the store's own
 * ($lookup and the grouping stages have files of their own): $count (answered {n: 0} for no input),
 * $sample (drew with replacement, so it repeated documents), $project (put _id last), and
 * $setWindowFields (mingo implements it with $function, which the store's disabled scripting refused).
 */

export type Stage = (coll: Iterator, expr: unknown, options: Options) => Iterator;

/** Stages receive mingo's compute-options wrapper; a nested pipeline needs the plain options inside. */
export function plainOptions(options: Options): Options {
  return (options as { options?: Options }).options ?? options;
}

export function fail(message: string): never {
  throw new Error(message);
}

const $count: Stage = (coll, field) =>
  coll.transform((docs: unknown[]) => Lazy(docs.length === 0 ? [] : [{ [field as string]: docs.length }]));

const $sample: Stage = (coll, expr) => {
  const size = Math.trunc(Number((expr as { size?: unknown }).size));
  return coll.transform((docs: unknown[]) => {
    // A partial Fisher-Yates shuffle: each document at most once, as MongoDB samples.
    const pool = docs.slice();
    const n = Math.min(size, pool.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(Math.random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return Lazy(pool.slice(0, n));
  });
};

/** $project as mingo computes it, with _id first as MongoDB keeps it (mingo moved it last). */
const $project: Stage = (coll, expr, options) =>
  pipelineOperators.$project(coll, expr as never, options).map((doc) => idFirst(doc as Document));

const $setWindowFields: Stage = (coll, expr, options) => {
  // Scripting stays refused for the client's own expressions: the pipeline is checked for $function,
  // $accumulator and $where before it runs; this only lets mingo's internal $function through.
  return pipelineOperators.$setWindowFields(coll, expr as never, {
    ...plainOptions(options),
    scriptEnabled: true,
  });
};

export const pipelineStageOverrides: Record<string, Stage> = {
  $count,
  $sample,
  $setWindowFields,
  $project,
};
