import { BSONRegExp } from 'bson';
import { RE2JS } from 're2js';
import safeRegex from 'safe-regex2';
import { ErrorCodes, MongoCommandError } from '../errors.js';

/** Aggregation operators whose `regex` argument is a pattern. */
const REGEX_EXPRESSIONS = new Set(['$regexMatch', '$regexFind', '$regexFindAll']);

// Only nested repetition ("star height" above 1, as in (a+)+) is judged here; the count of
// quantifiers is not a risk on its own, so the limit on it is set out of reach.
const MAX_REPETITIONS = 10_000;

/**
 * Query patterns run on RE2 (regex-engine.ts), in linear time, whenever RE2 can express them. The rest
 * run on JavaScript's backtracking engine in the store's single worker thread, where nothing can
 * interrupt them: one pattern with nested repetition over a long enough string would stall every
 * client. MongoDB's engine bounds that work; here such patterns are refused up front with BadValue,
 * before anything runs, so a careless query costs its caller an error instead of costing everyone the
 * store. The aggregation operators $regexMatch/$regexFind/$regexFindAll always run on JavaScript's
 * engine (they need its captures), so their patterns are always checked.
 */
export function assertSafeRegexes(value: unknown): void {
  walk(value, undefined);
}

function runsOnRe2(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Refuses a pattern with nested repetition before JavaScript's engine runs it. */
export function assertSafeForBacktracking(pattern: string): void {
  // A pattern that does not compile is left to the query layer, which answers MongoDB's own error.
  if (!safeRegex(pattern, { limit: MAX_REPETITIONS }) && compiles(pattern)) {
    throw new MongoCommandError(
      ErrorCodes.BadValue,
      `regular expression /${pattern}/ has nested repetition, which can take exponential time; ` +
        'the embedded store refuses it (escape user text before using it as a pattern)',
    );
  }
}

/** A pattern in a query ($regex, a regex value) runs on RE2 when it can; one in an expression never does. */
function check(pattern: string, inExpression: boolean): void {
  if (inExpression || !runsOnRe2(pattern)) assertSafeForBacktracking(pattern);
}

function walk(value: unknown, parentKey: string | undefined): void {
  const inExpression = parentKey === 'regex';
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && (parentKey === '$regex' || inExpression)) check(value, inExpression);
    return;
  }
  if (value instanceof RegExp) return check(value.source, inExpression);
  if (value instanceof BSONRegExp) return check(value.pattern, inExpression);
  if (Array.isArray(value)) {
    for (const item of value) walk(item, parentKey === '$regex' ? '$regex' : undefined);
    return;
  }
  // Other BSON values (ObjectId, Binary, Date...) hold no pattern and are not walked into.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'regex' && parentKey !== undefined && REGEX_EXPRESSIONS.has(parentKey)) walk(child, 'regex');
    else walk(child, key === '$regex' ? '$regex' : key);
  }
}
