import { isTransientError } from '../db/transientErrors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the first retry in milliseconds; doubled before each further one. */
  readonly backoffMs: number;
  /** Longest single delay (default one minute), so that ten attempts never wait for hours. */
  readonly maxDelayMs?: number;
}

/** The manifest's defaults: three attempts, one second before the first retry. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, backoffMs: 1000 };

export interface RetryOutcome<T> {
  readonly value: T;
  /** Attempts made, 1 when the first succeeded. */
  readonly attempts: number;
}

/** Thrown when the last attempt fails; `attempts` says how many were made, `cause` is the last error. */
export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RetriesExhausted';
  }
}

/**
 * Runs `fn` until it succeeds, retrying only transient errors (`isTransientError`) with exponential backoff:
 * `backoffMs`, then twice that, and so on. A non-transient error, or the last attempt's error, ends it at once
 * (wrapped in `RetriesExhausted` so that callers know how many attempts were made).
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: { onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>; sleep?: (ms: number) => Promise<void> } = {},
): Promise<RetryOutcome<T>> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxDelay = policy.maxDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (error) {
      if (attempt >= policy.attempts || !isTransientError(error)) throw new RetriesExhausted(attempt, error);
      const delay = Math.min(maxDelay, policy.backoffMs * 2 ** (attempt - 1));
      await hooks.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
