import { TransientError } from '../../platform/errors.js';
import { RETRYABLE_SQLSTATES, sqlStateOf } from './translateDatabaseError.js';

/** Attempts of a transaction that fails with a serialization failure or a deadlock, the first included. */
export const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs `attempt` again when it fails with a retryable SQLSTATE (40001, 40P01), with jittered exponential
 * backoff. Other errors, and the last failure, propagate.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const state = sqlStateOf(error);
      if (i >= attempts || !(error instanceof TransientError) || state === undefined || !RETRYABLE_SQLSTATES.has(state)) throw error;
      const delay = 5 * 4 ** (i - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
