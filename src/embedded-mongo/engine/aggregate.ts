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
import { compileFilter } from './compile-filter.js';
import { makeAggregator } from './mingo-context.js';
import { checkStages } from './stage-checks.js';
import type { DocSource } from './txn-view.js';

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

const same = (d: Document): Document => d;

const bsonOnlyChecked = new WeakMap<Collection, { changes: number; found: boolean }>();

/**
 * Whether any stored document holds a value mingo cannot take as it is (an integral Double, a
 * BSONRegExp). Checked once per state of the collection: most collections hold none, and their
 * documents then go to mingo without a look-up each.
 */
function holdsBsonOnlyValues(c: Collection): boolean {
  const checked = bsonOnlyChecked.get(c);
  if (checked?.changes === c.changes) return checked.found;
  let found = false;
  for (const doc of c.docs.values()) {
    if (plainDocument(doc) !== doc) {
      found = true;
      break;
    }
  }
  bsonOnlyChecked.set(c, { changes: c.changes, found });
  return found;
}

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
  // A leading $match is the store's own filter, run on the stored documents: through an index when
  // one applies, and before mingo's plain-number view, so {$type: 'double'} still sees doubles.
  const first = pipeline[0];
  const filter = first && '$match' in first ? (first.$match as Document) : undefined;
  const stages = filter ? pipeline.slice(1) : pipeline;
  const query = compileFilter(filter);
  const mutating = stages.some((s) => !NON_MUTATING_STAGES.has(Object.keys(s)[0] ?? ''));
  const c = catalog.get(db, coll);
  let input: Document[] = [];
  const prepareFor = (source: DocSource): ((d: Document) => Document) => {
    // mingo computes with plain values; stages that rewrite documents get copies.
    const view = !(source instanceof Collection) || holdsBsonOnlyValues(source) ? plainDocument : same;
    return mutating ? (d) => cloneDoc(view(d)) : view;
  };
  if (c) {
    const source = sourceOf(c);
    const prepare = prepareFor(source);
    if (filter || !(source instanceof Collection)) {
      for (const [, d] of source.candidates(filter)) if (!query || query.test(d)) input.push(prepare(d));
    } else input = [...source.docs.values()].map(prepare);
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
    return docs.map(prepareFor(source));
  };
  try {
    const aggregator = makeAggregator(plainValues(stages), { collectionResolver: resolver });
    return aggregator.run<Document>(input as AnyObject[]);
  } catch (e) {
    const error = asMongoError(e);
    // Anything thrown while running the client's pipeline is about that pipeline, not the store.
    if (error.code === ErrorCodes.InternalError)
      throw new MongoCommandError(ErrorCodes.BadValue, error.message);
    throw error;
  }
}
