import type { Document } from 'bson';
import { unsupported } from '../errors.js';

/**
 * Refuses command options the store cannot honour, before anything runs. A collation other than the
 * simple binary one used to be accepted and ignored: a case-insensitive unique index let `Ahmad@x.org`
 * and `ahmad@x.org` both in, and finds compared case-sensitively, a silent wrong answer.
 */

function isSimpleCollation(collation: unknown): boolean {
  if (collation === undefined || collation === null) return true;
  if (typeof collation !== 'object') return false;
  const { locale, ...rest } = collation as Document;
  return locale === 'simple' && Object.keys(rest).length === 0;
}

function checkCollation(collation: unknown, where: string): void {
  if (!isSimpleCollation(collation)) {
    throw unsupported(`collation ${JSON.stringify(collation)} on ${where} (only {locale: 'simple'})`);
  }
}

function eachIn(list: unknown, where: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list as unknown[]) {
    if (item && typeof item === 'object') checkCollation((item as Document).collation, where);
  }
}

/** find options that change what comes back: answering without them would be answering another query. */
const FIND_OPTIONS = {
  returnKey: 'returnKey (index keys instead of documents)',
  showRecordId: 'showRecordId',
  min: 'min (index bounds)',
  max: 'max (index bounds)',
  tailable: 'tailable cursors',
} as const;

/** Commands whose `let` variables $expr and pipelines could read ($$name). */
const TAKE_LET = new Set(['find', 'aggregate', 'update', 'delete', 'findAndModify', 'findandmodify']);

export function refuseUnsupportedOptions(name: string, cmd: Document): void {
  checkCollation(cmd.collation, name);
  if (TAKE_LET.has(name) && cmd.let !== undefined) throw unsupported(`let variables on ${name}`);
  if (name === 'find') {
    for (const [option, feature] of Object.entries(FIND_OPTIONS)) {
      const value: unknown = cmd[option];
      if (value !== undefined && value !== false) throw unsupported(feature);
    }
  }
  if (name === 'update') eachIn(cmd.updates, 'an update');
  else if (name === 'delete') eachIn(cmd.deletes, 'a delete');
  else if (name === 'createIndexes') eachIn(cmd.indexes, 'an index');
  else if (name === 'aggregate' && cmd.explain === true) throw unsupported('explain');
  else if (name === 'create' || name === 'collMod') {
    // Accepting these and not enforcing them would let documents in that MongoDB refuses.
    if (cmd.validator !== undefined) throw unsupported('collection validators (validator, $jsonSchema)');
    if (cmd.timeseries !== undefined) throw unsupported('time-series collections');
  }
}
