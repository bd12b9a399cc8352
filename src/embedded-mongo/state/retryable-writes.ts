import type { Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { SessionState } from './session-state.js';

/**
 * MongoDB's retryable writes: a write re-sent with the same session and txnNumber (after a network
 * error, say) gets the first execution's reply instead of being applied again. Returns that reply when
 * this is such a retry; otherwise runs `execute` and remembers its reply for a retry to come.
 */
export function replayOrExecute(
  session: SessionState,
  txnNumber: number,
  execute: () => Promise<Document>,
): Promise<Document> {
  const last = session.retryable;
  if (last && last.txnNumber === txnNumber) return last.reply;
  if (last && txnNumber < last.txnNumber) {
    throw new MongoCommandError(
      ErrorCodes.TransactionTooOld,
      `Cannot start transaction ${txnNumber} on session because a newer retryable write ${last.txnNumber} has already started`,
    );
  }
  const reply = execute();
  session.retryable = { txnNumber, reply };
  if (txnNumber > session.txnNumber) session.txnNumber = txnNumber;
  // A failed execution is not an answer to replay: the retry runs again.
  reply.catch(() => {
    if (session.retryable?.reply === reply) session.retryable = undefined;
  });
  return reply;
}
