/**
 * How the engine answers a filter, for tests that prove index use: the index its planner picks (null for
 * a collection scan), how many documents it examines and how many match (stopping at `limit` matches,
 * as an unsorted limited find does).
 */
import type { Document } from 'bson';
import type { Engine } from '../../../src/embedded-mongo/engine/engine.js';
import { compileFilter } from '../../../src/embedded-mongo/engine/compile-filter.js';

export interface QueryPlanFigures {
  index: string | null;
  docsExamined: number;
  nReturned: number;
}

export function queryPlan(
  engine: Engine,
  db: string,
  coll: string,
  filter: Document,
  limit = 0,
): QueryPlanFigures {
  const c = engine.catalog.get(db, coll);
  if (!c) return { index: null, docsExamined: 0, nReturned: 0 };
  const plan = c.plan(filter);
  const query = compileFilter(filter);
  let docsExamined = 0;
  let nReturned = 0;
  for (const [, doc] of c.candidates(filter)) {
    docsExamined++;
    if (query && !query.test(doc)) continue;
    nReturned++;
    if (limit > 0 && nReturned >= limit) break;
  }
  return { index: plan.kind === 'ids' ? plan.index : null, docsExamined, nReturned };
}
