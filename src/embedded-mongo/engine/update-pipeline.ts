import type { Document } from 'bson';
import { plainValues, restoreDoubles } from '../bson/plain-values.js';
import { encodeKey } from '../bson/value-keys.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { makeAggregator } from './mingo-context.js';
import { immutableIdError } from './update-paths.js';

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
  const [computed] = makeAggregator(plainValues(pipeline), {}).run<Document>([plainValues(copy)]);
  if (!computed) throw new MongoCommandError(ErrorCodes.BadValue, 'the update pipeline produced no document');
  const result = restoreDoubles(copy, computed) as Document;
  if (idKey === undefined) return result;
  if (result._id === undefined) return { _id: copy._id as unknown, ...result };
  if (encodeKey(result._id) !== idKey) throw immutableIdError();
  return result;
}
