import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InputError,
  LimitError,
  NotFoundError,
  TransientError,
  UsageError,
} from '../../platform/errors.js';
import { InvalidContentError } from '../errors.js';

/** The public codes of the GraphQL layer, in `extensions.code`. */
export const GRAPHQL_CODES = {
  validation: 'GRAPHQL_VALIDATION_FAILED',
  badInput: 'BAD_USER_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  tooComplex: 'QUERY_TOO_COMPLEX',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
} as const;

/**
 * The one place where the project's errors become GraphQL error codes. Errors of GraphQL itself (parse,
 * validation, variable coercion) keep the code Apollo gives them; an unknown error is internal, and says no more.
 */
export function codeFor(error: unknown): string | undefined {
  if (error instanceof InvalidContentError || error instanceof InputError || error instanceof UsageError) return GRAPHQL_CODES.badInput;
  if (error instanceof AuthenticationError) return GRAPHQL_CODES.unauthenticated;
  if (error instanceof ForbiddenError) return GRAPHQL_CODES.forbidden;
  if (error instanceof NotFoundError) return GRAPHQL_CODES.notFound;
  if (error instanceof ConflictError) return GRAPHQL_CODES.conflict;
  if (error instanceof LimitError) return GRAPHQL_CODES.tooComplex;
  if (error instanceof TransientError) return GRAPHQL_CODES.unavailable;
  return undefined;
}

/** Apollo's `formatError`: project errors get their code (and violations); internal errors are masked and logged. */
export function formatGraphQLError(log: ((line: string) => void) | undefined) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const code = codeFor(original);
    if (code !== undefined) {
      const violations = original instanceof InvalidContentError ? { violations: original.violations } : {};
      return { ...formatted, message: (original as Error).message, extensions: { ...formatted.extensions, ...violations, code } };
    }
    const existing = formatted.extensions?.['code'];
    if (existing === undefined || existing === GRAPHQL_CODES.internal) {
      log?.(`internal error in GraphQL ${formatted.path?.join('.') ?? ''}: ${(original as Error)?.stack ?? String(original)}`);
      return { message: 'internal error; the server log has the details', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: GRAPHQL_CODES.internal } };
    }
    return formatted;
  };
}
