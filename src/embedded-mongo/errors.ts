import type { Document } from 'bson';

/** MongoDB server error codes the embedded store answers with (names as in MongoDB's error_codes.yml). */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
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
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  InvalidBSON: 22,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  TransactionTooOld: 225,
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

/** MongoDB names an assertion code that has no name of its own Location<code>, as in Location40066. */
export function codeNameOf(code: number): string {
  return codeNames[code] ?? `Location${code}`;
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
