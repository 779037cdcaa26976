/**
 * Which database errors a retry may fix. This is the one place that reads SQLSTATEs for that purpose: the
 * pipeline's retries ask `isTransientError` and nothing else.
 */

/** SQLSTATE classes whose every code is transient: 08 connection exception. */
const TRANSIENT_CLASSES = new Set(['08']);

/** Single SQLSTATEs that are transient. */
const TRANSIENT_CODES: Readonly<Record<string, string>> = {
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '55P03': 'lock not available',
  '57P01': 'connection terminated by the administrator',
  '57P02': 'server crashed',
  '57P03': 'server cannot accept connections now',
  '53300': 'too many connections',
  '53400': 'configuration limit exceeded',
  '58030': 'I/O error',
};

/** Node socket errors that mean the connection was lost or never made. */
const TRANSIENT_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Messages of `pg` for a connection lost without a SQLSTATE. */
const CONNECTION_LOST = /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)$/;

/** The SQLSTATE of a driver error (`pg` and PGlite both put it in `code`), if any. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Whether `error` (or its cause) is transient: a lost or refused connection, a serialization failure, a
 * deadlock, a lock timeout, a server shutting down or out of connections. Everything else (syntax, missing
 * tables, bad data, constraint violations) fails the same way on a retry.
 */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const state = sqlState(e);
    if (state !== undefined) return TRANSIENT_CLASSES.has(state.slice(0, 2)) || state in TRANSIENT_CODES;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) return true;
    if (e instanceof Error && CONNECTION_LOST.test(e.message)) return true;
  }
  return false;
}
