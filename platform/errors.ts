/**
 * The project's small error hierarchy. Code throws these; each edge maps them once: the CLI to exit codes
 * (`exitCodeFor`), the HTTP server to status codes, the GraphQL layer to `extensions.code`.
 */
export class MeshError extends Error {
  /** A stable public code, e.g. `BAD_INPUT`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The caller asked for something malformed: bad flags, bad arguments. */
export class UsageError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}

/** Input that cannot be read or parsed: a missing file, malformed JSON, a bad event. */
export class InputError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_INPUT', message, options);
  }
}

export class NotFoundError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
  }
}

/** A write that collides with existing state, e.g. a unique key. */
export class ConflictError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFLICT', message, options);
  }
}

/** No credentials, or credentials that are not valid. */
export class AuthenticationError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAUTHENTICATED', message, options);
  }
}

/** Valid credentials that do not allow the action (another team's product). */
export class ForbiddenError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FORBIDDEN', message, options);
  }
}

/** A request that exceeds a limit (size, depth, cost, page size). */
export class LimitError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LIMIT_EXCEEDED', message, options);
  }
}

/** A dependency (database, endpoint) that failed in a way a retry may fix. */
export class TransientError extends MeshError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSIENT', message, options);
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
