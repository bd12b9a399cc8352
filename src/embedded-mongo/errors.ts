import type { Document } from 'bson';

/** MongoDB server error codes the embedded store answers with (names as in MongoDB's error_codes.yml). */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  Unauthorized: 13,
  Overflow: 15,
  TypeMismatch: 14,
  AuthenticationFailed: 18,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  IndexAlreadyExists: 68,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  InvalidBSON: 22,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  TransactionTooOld: 225,
  Location40352: 40352,
  Location40324: 40324,
  InvalidPipelineOperator: 168,
  QueryPlanKilled: 175,
  BSONObjectTooLarge: 10334,
  Location31253: 31253,
  Location31254: 31254,
  Location51091: 51091,
  NotImplemented: 238,
  DuplicateKey: 11000,
} as const;

/**
 * A MongoDB feature the store does not implement. Refused by name, so the client learns at once why,
 * instead of getting an answer computed as if the feature were not asked for.
 */
export function unsupported(feature: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCodes.NotImplemented,
    `${feature} is not supported by the embedded store; use MongoDB`,
  );
}

const codeNames: Record<number, string> = Object.fromEntries(
  Object.entries(ErrorCodes).map(([name, code]) => [code, name]),
);

export function codeNameOf(code: number): string {
  return codeNames[code] ?? 'UnknownError';
}

/**
 * An error in MongoDB's shape: the command layer turns it into
 * `{ ok: 0, errmsg, code, codeName, ...extra }` (or a writeErrors entry for CRUD batches).
 */
export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra fields sent with the error, e.g. keyPattern/keyValue for duplicate keys. */
  readonly extra: Document;
  /** Error labels, e.g. TransientTransactionError. */
  readonly labels: string[];

  constructor(code: number, message: string, extra: Document = {}, labels: string[] = []) {
    super(message);
    this.name = 'MongoCommandError';
    this.code = code;
    this.codeName = codeNameOf(code);
    this.extra = extra;
    this.labels = labels;
  }

  toReply(): Document {
    const reply: Document = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    };
    if (this.labels.length > 0) reply.errorLabels = this.labels;
    return reply;
  }
}

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
