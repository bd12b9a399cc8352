import { ErrorCodes, MongoCommandError } from '../errors.js';
import type { SessionState } from './session-state.js';

function noSuchTransaction(message: string): MongoCommandError {
  // MongoDB labels NoSuchTransaction as transient so drivers' withTransaction retries the whole transaction.
  return new MongoCommandError(ErrorCodes.NoSuchTransaction, message, {}, ['TransientTransactionError']);
}

/** The error for a transaction statement, commit or abort whose transaction is not open on this session. */
export function transactionNotOpen(session: SessionState, txnNumber: number): MongoCommandError {
  if (session.txnNumber === txnNumber && session.state === 'aborted') {
    return noSuchTransaction(`Transaction with { txnNumber: ${txnNumber} } has been aborted.`);
  }
  if (session.txnNumber === txnNumber && session.state === 'committed') {
    return new MongoCommandError(
      ErrorCodes.TransactionCommitted,
      `Transaction with { txnNumber: ${txnNumber} } has been committed.`,
    );
  }
  return noSuchTransaction(
    `Given transaction number ${txnNumber} does not match any in-progress transactions.`,
  );
}
