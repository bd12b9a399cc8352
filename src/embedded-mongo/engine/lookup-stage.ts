import { Aggregator } from 'mingo/aggregator';
import { evalExpr } from 'mingo/core';
import * as pipelineOperators from 'mingo/operators/pipeline';
import type { AnyObject } from 'mingo/types';
import { encodeKey } from '../bson/value-keys.js';
import { pathValues } from './document-paths.js';
import { fail, plainOptions, type Stage } from './pipeline-stages.js';

/**
 * $lookup with localField/foreignField (and, as MongoDB 5.0 allows, a pipeline run over the matched
 * documents only), joined by MongoDB's equality: array elements match one by one, and a missing
 * field joins with null. A pipeline-only $lookup is mingo's.
 */

/** The values a document offers for an equality join on `path`: array elements, or null when missing. */
function joinKeys(doc: AnyObject, path: string): string[] {
  const values = pathValues(doc, path);
  if (values.length === 0) return [encodeKey(null)];
  const keys: string[] = [];
  for (const v of values) {
    if (Array.isArray(v)) {
      for (const e of v as unknown[]) keys.push(encodeKey(e));
    } else keys.push(encodeKey(v));
  }
  return keys;
}

interface LookupSpec {
  from?: string;
  localField?: string;
  foreignField?: string;
  let?: AnyObject;
  pipeline?: AnyObject[];
  as: string;
}

export const $lookup: Stage = (coll, expr, options) => {
  const spec = expr as LookupSpec;
  const equality = spec.localField !== undefined && spec.foreignField !== undefined;
  if (!equality || spec.from === undefined) return pipelineOperators.$lookup(coll, spec as never, options);
  const resolver = options.collectionResolver ?? fail('$lookup needs a collection resolver');
  const foreign = resolver(spec.from);
  const byKey = new Map<string, AnyObject[]>();
  for (const doc of foreign) {
    for (const key of new Set(joinKeys(doc, spec.foreignField!))) {
      const list = byKey.get(key);
      if (list) list.push(doc);
      else byKey.set(key, [doc]);
    }
  }
  const pipeline = spec.pipeline ?? [];
  const inner = plainOptions(options);
  return coll.map((obj) => {
    const doc = obj as AnyObject;
    const seen = new Set<AnyObject>();
    for (const key of joinKeys(doc, spec.localField!)) for (const m of byKey.get(key) ?? []) seen.add(m);
    // Matches keep the foreign collection's order, as MongoDB returns them.
    let matched = foreign.filter((d) => seen.has(d));
    if (pipeline.length > 0) {
      const variables = spec.let ? (evalExpr(doc, spec.let, options) as AnyObject) : {};
      matched = new Aggregator(pipeline, { ...inner, variables: { ...inner.variables, ...variables } }).run(
        matched,
      );
    }
    return { ...doc, [spec.as]: matched };
  });
};
