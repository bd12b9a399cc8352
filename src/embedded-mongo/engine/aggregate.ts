import type { Document } from 'bson';
import type { AnyObject } from 'mingo/types';
import { ErrorCodes, MongoCommandError, unsupported } from '../errors.js';
import { asMongoError } from '../foreign-errors.js';
import { cloneDoc } from '../bson/own-fields.js';
import { plainDocument, plainValues } from '../bson/plain-values.js';
import type { Catalog } from './catalog.js';
import { Collection } from './collection.js';
import type { AggregateOptions } from './engine-api.js';
import { resolveHint } from './indexes.js';
import { inHintedOrder, type SourceOf } from './reads.js';
import { makeAggregator } from './mingo-context.js';
import { checkStages } from './stage-checks.js';

/** Stages that only read their input documents; any other stage gets cloned inputs. */
const NON_MUTATING_STAGES = new Set([
  '$match',
  '$sort',
  '$limit',
  '$skip',
  '$count',
  '$group',
  '$sortByCount',
  '$sample',
]);

/** Runs a pipeline over a collection; stored documents are never changed by it. */
export function aggregate(
  catalog: Catalog,
  db: string,
  coll: string,
  pipeline: Document[],
  options: AggregateOptions = {},
  sourceOf: SourceOf = (c) => c,
): Document[] {
  for (const stage of pipeline) {
    const op = Object.keys(stage)[0];
    if (op === '$out' || op === '$merge') {
      throw new MongoCommandError(
        ErrorCodes.IllegalOperation,
        `${op} is not supported by the embedded store`,
      );
    }
    if (op === '$changeStream') throw unsupported('change streams ($changeStream)');
    if (op === '$geoNear') throw unsupported('geospatial stage $geoNear');
    if (op === '$search' || op === '$searchMeta' || op === '$vectorSearch')
      throw unsupported(`${op} (Atlas Search)`);
  }
  checkStages(pipeline);
  const mutating = pipeline.some((s) => !NON_MUTATING_STAGES.has(Object.keys(s)[0] ?? ''));
  const c = catalog.get(db, coll);
  const first = pipeline[0];
  let input: Document[] = [];
  // mingo computes with plain numbers; stages that rewrite documents get copies.
  const prepare = mutating ? (d: Document) => cloneDoc(plainDocument(d)) : plainDocument;
  if (c) {
    // A leading $match picks its candidates through an index; mingo still applies it in full.
    const filter = first && '$match' in first ? (first.$match as Document) : undefined;
    const source = sourceOf(c);
    if (filter || !(source instanceof Collection))
      input = [...source.candidates(filter)].map(([, d]) => prepare(d));
    else input = [...source.docs.values()].map(prepare);
  }
  if (c && options.hint !== undefined) input = inHintedOrder(input, resolveHint(c, options.hint));
  const resolver = (name: string): AnyObject[] => {
    const other = catalog.get(db, name);
    if (!other) return [];
    const source = sourceOf(other);
    const docs =
      source instanceof Collection
        ? [...source.docs.values()]
        : [...source.candidates(undefined)].map(([, d]) => d);
    return docs.map(prepare);
  };
  try {
    const aggregator = makeAggregator(plainValues(pipeline), { collectionResolver: resolver });
    return aggregator.run<Document>(input as AnyObject[]);
  } catch (e) {
    const error = asMongoError(e);
    // Anything thrown while running the client's pipeline is about that pipeline, not the store.
    if (error.code === ErrorCodes.InternalError)
      throw new MongoCommandError(ErrorCodes.BadValue, error.message);
    throw error;
  }
}
