import type { ServerResponse } from 'node:http';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InputError,
  LimitError,
  MeshError,
  NotFoundError,
  TransientError,
  UsageError,
} from '../../platform/errors.js';
import { InvalidContentError } from '../errors.js';

/** A request whose media type or content encoding the endpoint does not accept (HTTP 415). */
export class MediaTypeError extends MeshError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/** A known path asked with a method it does not serve (HTTP 405). */
export class MethodError extends MeshError {
  constructor(
    message: string,
    readonly allow: readonly string[],
  ) {
    super('METHOD_NOT_ALLOWED', message);
  }
}

/**
 * The one place where errors become HTTP statuses. Marquez's conventions for ingestion: 400 for what is not
 * JSON (or not an object), 422 for an event that does not conform.
 */
export function statusFor(error: unknown): number {
  if (error instanceof InvalidContentError) return 422;
  if (error instanceof InputError || error instanceof UsageError) return 400;
  if (error instanceof AuthenticationError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof MethodError) return 405;
  if (error instanceof ConflictError) return 409;
  if (error instanceof LimitError) return 413;
  if (error instanceof MediaTypeError) return 415;
  if (error instanceof TransientError) return 503;
  return 500;
}

/** The JSON body of an error: `{error: {code, message, violations?}}`; internal errors say no more than that. */
export function errorBody(error: unknown): { error: { code: string; message: string; violations?: unknown } } {
  if (error instanceof InvalidContentError) return { error: { code: error.code, message: error.message, violations: error.violations } };
  if (error instanceof MeshError) return { error: { code: error.code, message: error.message } };
  return { error: { code: 'INTERNAL', message: 'internal error; the server log has the details' } };
}

/** Sends a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The headers an error's status calls for (authentication challenge, retry, allowed methods). */
export function errorHeaders(error: unknown): Record<string, string> {
  const status = statusFor(error);
  const headers: Record<string, string> = {};
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="mesh"';
  if (status === 503) headers['Retry-After'] = '1';
  if (status === 413) headers['Connection'] = 'close';
  if (error instanceof MethodError) headers['Allow'] = error.allow.join(', ');
  return headers;
}

/** Sends an error as JSON with the headers its status calls for. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, statusFor(error), errorBody(error), errorHeaders(error));
}
