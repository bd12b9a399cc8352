import { Timestamp, type Document } from 'bson';
import type { AnyObject } from 'mingo/types';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { encodeKey, valuesEqual } from './bson-values.js';
import { baseOptions, makeAggregator } from './mingo-context.js';
import { compileElemMatch } from './query-predicates.js';
import { getPath, immutableIdError, setPath } from './update-paths.js';

/** Update operators and forms the store computes itself, where mingo's result differs from MongoDB's. */

const UPDATE_PIPELINE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

/**
 * An update given as a pipeline: the stages run over the one document, as an aggregation would.
 * (mingo's updater could not tell which fields a $replaceWith changed and refused it.)
 */
export function applyPipelineUpdate(
  copy: Document,
  pipeline: Document[],
  idKey: string | undefined,
): Document {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0] ?? '';
    if (!UPDATE_PIPELINE_STAGES.has(name)) {
      throw new MongoCommandError(
        ErrorCodes.InvalidOptions,
        `${name} is not allowed to be used within an update`,
      );
    }
  }
  const [result] = makeAggregator(pipeline, {}).run<Document>([copy]);
  if (!result) throw new MongoCommandError(ErrorCodes.BadValue, 'the update pipeline produced no document');
  if (idKey === undefined) return result;
  if (result._id === undefined) return { _id: copy._id as unknown, ...result };
  if (encodeKey(result._id) !== idKey) throw immutableIdError();
  return result;
}

let timestampIncrement = 0;

/** $currentDate as $set: a Date, or a Timestamp when {$type: 'timestamp'} asks for one (mingo stored a number). */
export function currentDateValues(spec: Document): Document {
  const now = new Date();
  const out: Document = {};
  for (const [path, value] of Object.entries(spec)) {
    const type: unknown = value !== null && typeof value === 'object' ? (value as Document).$type : undefined;
    if (value === true || type === 'date') out[path] = now;
    else if (type === 'timestamp') {
      timestampIncrement = (timestampIncrement + 1) % 0x7fffffff;
      out[path] = new Timestamp({ t: Math.floor(now.getTime() / 1000), i: timestampIncrement });
    } else {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        "$currentDate: expected a boolean or {$type: 'date'} or {$type: 'timestamp'}",
      );
    }
  }
  return out;
}

/**
 * $pull computed here: a condition is a query on each element (a document element is matched as a
 * document, so {$or: [...]} or {name: 'x'} works and extra fields do not matter; a scalar element is
 * matched against operators such as {$gte: 6}); any other value removes the equal elements. mingo
 * missed elements under $or and documents with fields beyond the condition's.
 */
export function applyPulls(copy: Document, modifier: Document): void {
  const pulls = modifier.$pull as Document | undefined;
  if (!pulls) return;
  for (const path of Object.keys(pulls)) {
    const current = getPath(copy, path);
    if (Array.isArray(current)) {
      const matches = pullMatcher(pulls[path] as unknown);
      setPath(
        copy,
        path,
        (current as unknown[]).filter((element) => !matches(element)),
      );
    }
    delete pulls[path];
  }
  delete modifier.$pull;
}

function pullMatcher(condition: unknown): (element: unknown) => boolean {
  if (condition instanceof RegExp) return (element) => typeof element === 'string' && condition.test(element);
  const isQuery =
    condition !== null &&
    typeof condition === 'object' &&
    !Array.isArray(condition) &&
    Object.getPrototypeOf(condition) === Object.prototype;
  if (!isQuery) return (element) => valuesEqual(element, condition);
  return compileElemMatch(condition as AnyObject, baseOptions);
}
