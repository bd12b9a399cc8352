import { Context, ProcessingMode } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import { evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { AnyObject, Options } from 'mingo/types';
import { ErrorCodes, MongoCommandError, unsupported } from '../errors.js';
import { accumulatorOverrides } from './accumulators.js';
import { compareValues } from '../bson/compare-values.js';
import { dateTruncExpression } from './date-trunc.js';
import { groupStages } from './group-stages.js';
import { $lookup } from './lookup-stage.js';
import { pipelineStageOverrides } from './pipeline-stages.js';
import { queryOperatorOverrides } from './query-operators.js';
import { assertSafeRegexes } from './regex-guard.js';

/**
 * The mingo context the store evaluates queries, projections, updates and pipelines with: mingo's
 * operators, except those whose semantics differ from MongoDB's for bson values (cross-type order in
 * $sort and comparisons, $sum/$max/$min over Long/Decimal128, and the query predicates), which are
 * replaced by the store's own.
 */

type ExpressionOp = (obj: AnyObject, expr: unknown, options: Options) => unknown;

/** Aggregation comparisons: a missing value sorts below null here (it is not equal to null). */
function compareExprValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareValues(a, b);
}

function comparisonExpr(name: string, result: (c: number) => unknown): ExpressionOp {
  return (obj, expr, options) => {
    if (!Array.isArray(expr) || expr.length !== 2) throw new Error(`${name} expects array(2)`);
    const [a, b] = evalExpr(obj, expr, options) as [unknown, unknown];
    return result(compareExprValues(a, b));
  };
}

const overriddenExpressionOps: Record<string, ExpressionOp> = {
  $cmp: comparisonExpr('$cmp', (c) => Math.sign(c)),
  $eq: comparisonExpr('$eq', (c) => c === 0),
  $ne: comparisonExpr('$ne', (c) => c !== 0),
  $gt: comparisonExpr('$gt', (c) => c > 0),
  $gte: comparisonExpr('$gte', (c) => c >= 0),
  $lt: comparisonExpr('$lt', (c) => c < 0),
  $lte: comparisonExpr('$lte', (c) => c <= 0),
};

export const mongoContext = Context.init({
  accumulator: { ...accumulatorOperators, ...accumulatorOverrides },
  expression: { ...expressionOperators, ...overriddenExpressionOps, $dateTrunc: dateTruncExpression },
  pipeline: { ...pipelineOperators, ...pipelineStageOverrides, ...groupStages, $lookup },
  projection: projectionOperators,
  query: { ...queryOperators, ...queryOperatorOverrides },
  window: windowOperators,
});

export const baseOptions: Partial<Options> = {
  context: mongoContext,
  processingMode: ProcessingMode.CLONE_OFF,
  useStrictMode: true,
  scriptEnabled: false,
};

const SCRIPT_OPERATORS = new Set(['$function', '$accumulator', '$where']);

/**
 * Server-side JavaScript is off: refused up front, since some stages run with scripting enabled inside;
 * $text is refused by name rather than as an unknown operator.
 */
function assertNoScripts(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach(assertNoScripts);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$text') throw unsupported('$text search');
    if (SCRIPT_OPERATORS.has(key))
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        `${key} is not allowed: server-side JavaScript is disabled`,
      );
    assertNoScripts(child);
  }
}

export function makeAggregator(pipeline: AnyObject[], options: Partial<Options>): Aggregator {
  assertSafeRegexes(pipeline);
  assertNoScripts(pipeline);
  return new Aggregator(pipeline, { ...baseOptions, ...options });
}
