import { ConflictError, InputError, LimitError, MeshError, TransientError } from '../../platform/errors.js';

/** Shape shared by `pg`'s and PGlite's database errors. */
interface DriverError {
  readonly message: string;
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;
  readonly table?: string;
}

/** Network error codes of Node's sockets, which `pg` passes through when the server cannot be reached. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** SQLSTATEs a retry may cure: serialization failure and deadlock. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

/**
 * The one place where driver errors become the project's errors. Both adapters call it, so the store and
 * everything above it see only `MeshError`s for the cases that matter:
 * - 23505 unique violation, 23503 foreign-key violation: `ConflictError`
 * - 40001 serialization failure, 40P01 deadlock, class 08 connection failures, 57P01-03 server shutdown,
 *   53xxx insufficient resources, socket errors: `TransientError` (retryable)
 * - 57014 statement timeout: `LimitError`
 * - 22xxx data exceptions, 23502 not-null and 23514 check violations: `InputError`
 * Anything else is a bug or a misconfiguration and passes through unchanged, to be reported as internal.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof MeshError || !(error instanceof Error)) return error;
  const e = error as Error & DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  const where = e.constraint ? ` (${e.constraint})` : e.table ? ` (${e.table})` : '';
  const detail = e.detail ? `: ${e.detail}` : '';
  switch (code) {
    case '23505':
      return new ConflictError(`already exists${where}${detail}`, { cause: error });
    case '23503':
      return new ConflictError(`refers to something that does not exist, or is still referred to${where}${detail}`, { cause: error });
    case '23502':
    case '23514':
      return new InputError(`violates a constraint${where}: ${e.message}`, { cause: error });
    case '57014':
      return new LimitError(`the database cancelled a statement that ran too long: ${e.message}`, { cause: error });
  }
  if (RETRYABLE_SQLSTATES.has(code)) return new TransientError(`the database aborted a transaction (${code}); retry: ${e.message}`, { cause: error });
  if (code.startsWith('08') || code.startsWith('53') || code === '57P01' || code === '57P02' || code === '57P03' || CONNECTION_CODES.has(code)) {
    return new TransientError(`the database is unavailable (${code}): ${e.message}`, { cause: error });
  }
  if (code.startsWith('22')) return new InputError(`invalid data for the database: ${e.message}`, { cause: error });
  if (/Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(e.message)) {
    return new TransientError(`the database is unavailable: ${e.message}`, { cause: error });
  }
  return error;
}

/** The SQLSTATE behind a translated error, when there is one. */
export function sqlStateOf(error: unknown): string | undefined {
  const cause = error instanceof MeshError ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
