import { Binary, Long, type Document } from 'bson';
import type { SessionArgs } from '../state/session-state.js';
import { ErrorCodes, MongoCommandError } from '../errors.js';

/** Numbers arrive as JS numbers or, for int64 fields (cursor ids, txnNumber), as Long. */
export function toNumber(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (Long.isLong(value)) return value.toNumber();
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new MongoCommandError(ErrorCodes.TypeMismatch, `'${field}' must be a number`);
}

export function optionalNumber(cmd: Document, field: string): number | undefined {
  const value: unknown = cmd[field];
  return value === undefined || value === null ? undefined : toNumber(value, field);
}

export function requireString(cmd: Document, field: string): string {
  const value: unknown = cmd[field];
  if (typeof value !== 'string') {
    throw new MongoCommandError(ErrorCodes.TypeMismatch, `'${field}' must be of type string`);
  }
  return value;
}

/** The collection a command targets: the value of its first field. */
export function collectionName(cmd: Document, name: string): string {
  const value: unknown = cmd[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new MongoCommandError(
      ErrorCodes.InvalidNamespace,
      `collection name has invalid type ${value === undefined ? 'missing' : typeof value}`,
    );
  }
  if (value.includes('\0') || value.startsWith('.') || value.includes('$')) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${value}`);
  }
  return value;
}

export function optionalDocument(cmd: Document, field: string): Document | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MongoCommandError(ErrorCodes.TypeMismatch, `'${field}' must be an object`);
  }
  return value;
}

/** The named optional document fields a command carries, each checked to be a document. */
export function optionalDocuments(cmd: Document, fields: string[]): Document {
  const out: Document = {};
  for (const field of fields) {
    const value = optionalDocument(cmd, field);
    if (value) out[field] = value;
  }
  return out;
}

export function requireArray(cmd: Document, field: string): Document[] {
  const value: unknown = cmd[field];
  if (!Array.isArray(value)) {
    throw new MongoCommandError(ErrorCodes.TypeMismatch, `'${field}' must be an array`);
  }
  return value as Document[];
}

/** Splits "db.coll.with.dots" at the first dot, as MongoDB namespaces do. */
export function splitNamespace(ns: string): { db: string; coll: string } {
  const dot = ns.indexOf('.');
  if (dot <= 0 || dot === ns.length - 1) {
    throw new MongoCommandError(ErrorCodes.InvalidNamespace, `Invalid namespace specified '${ns}'`);
  }
  return { db: ns.slice(0, dot), coll: ns.slice(dot + 1) };
}

/** The hex id of a session id document ({id: UUID}), as sessions and cursors are keyed. */
export function sessionIdKey(lsid: unknown): string | undefined {
  if (!lsid || typeof lsid !== 'object') return undefined;
  const id: unknown = (lsid as Document).id;
  return id instanceof Binary ? id.toString('hex') : undefined;
}

export function sessionArgs(cmd: Document): SessionArgs {
  return {
    key: sessionIdKey(cmd.lsid),
    txnNumber: cmd.txnNumber === undefined ? undefined : toNumber(cmd.txnNumber, 'txnNumber'),
    inTransaction: cmd.autocommit === false,
    startTransaction: cmd.startTransaction === true,
  };
}
