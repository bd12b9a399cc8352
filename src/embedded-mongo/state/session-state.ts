import type { Document } from 'bson';
import type { Transaction } from '../engine/engine-api.js';

export type TxnState = 'none' | 'active' | 'committed' | 'aborted';

export interface SessionState {
  key: string;
  txnNumber: number;
  state: TxnState;
  txn: Transaction | undefined;
  timer: NodeJS.Timeout | undefined;
  lastUsed: number;
  /** The last retryable write (a write outside a transaction with a txnNumber) and its reply. */
  retryable?: { txnNumber: number; reply: Promise<Document> };
}

/** The session fields of a command, as the command layer parsed them. */
export interface SessionArgs {
  /** The lsid's id in hex; undefined for a command without a session. */
  key: string | undefined;
  txnNumber: number | undefined;
  /** autocommit: false, which marks every statement of a transaction. */
  inTransaction: boolean;
  startTransaction: boolean;
}

export function newSessionState(key: string): SessionState {
  return { key, txnNumber: -1, state: 'none', txn: undefined, timer: undefined, lastUsed: Date.now() };
}
