import { ErrorCodes, MongoCommandError } from './errors.js';

/**
 * What a query, projection or aggregation library error means in MongoDB's terms. These errors come from
 * the client's own filter or pipeline (an unknown operator, an invalid regex, a projection mixing
 * inclusion and exclusion), so they are answered as the client's mistake with MongoDB's code; answering
 * InternalError (1) told drivers and people the store itself was broken.
 */
const foreignErrors: readonly [RegExp, number, (m: RegExpExecArray) => string][] = [
  [
    /^Invalid regular expression: (.*)$/s,
    ErrorCodes.Location51091,
    (m) => `Regular expression is invalid: ${m[1]}`,
  ],
  [/^unknown (?:query|top level) operator:? (\S+)/, ErrorCodes.BadValue, (m) => `unknown operator: ${m[1]}`],
  [
    /^Cannot do exclusion and inclusion in projection/,
    ErrorCodes.Location31254,
    () => 'Cannot do exclusion and inclusion in the same projection',
  ],
  [
    /^(?:accumulator|operator|expression) '(\$[^']*)' is not registered/,
    ErrorCodes.InvalidPipelineOperator,
    (m) => `Unrecognized expression '${m[1]}'`,
  ],
  [
    /^unregistered pipeline operator (\$\w+)/,
    ErrorCodes.Location40324,
    (m) => `Unrecognized pipeline stage name: '${m[1]}'`,
  ],
  [
    /^\$replaceRoot expression must return an object/,
    40228,
    () => "'newRoot' expression must evaluate to an object",
  ],
  [
    /^\$where operator requires 'scriptEnabled'/,
    ErrorCodes.BadValue,
    () => '$where is not allowed: server-side JavaScript is disabled',
  ],
];

/**
 * Turns any error thrown while running a command into MongoDB's shape. Errors of the query library are
 * the client's input (BadValue unless a closer code is known); anything else is a fault of the store.
 */
export function asMongoError(e: unknown): MongoCommandError {
  if (e instanceof MongoCommandError) return e;
  const message = e instanceof Error ? e.message : String(e);
  for (const [pattern, code, text] of foreignErrors) {
    const m = pattern.exec(message);
    if (m) return new MongoCommandError(code, text(m));
  }
  const fromQueryLibrary = e instanceof Error && e.constructor.name === 'MingoError';
  return new MongoCommandError(fromQueryLibrary ? ErrorCodes.BadValue : ErrorCodes.InternalError, message);
}
