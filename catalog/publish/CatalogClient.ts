import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InputError,
  LimitError,
  MeshError,
  NotFoundError,
  TransientError,
} from '../../platform/errors.js';
import type { QualityResultInput, SlaStatusInput } from '../store/qualityResults.js';
import { InvalidContentError, type Violation } from '../errors.js';
import type { PublishOutcome } from '../store/publishProducts.js';
import type { PublishBundle } from './PublishBundle.js';

/** A catalog server's HTTP API, as `mesh publish` (and `mesh test`) use it. */
export class CatalogClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 300_000,
  ) {}

  publish(bundle: PublishBundle): Promise<PublishOutcome> {
    return this.request<PublishOutcome>('POST', '/api/v1/publish', bundle);
  }

  /** Records a data test result (`mesh test`); returns its id. */
  recordQualityResult(result: QualityResultInput): Promise<{ id: number }> {
    return this.request('POST', '/api/v1/quality-results', result);
  }

  /** Records an SLA status (`mesh test`); returns its id. */
  recordSlaStatus(status: SlaStatusInput): Promise<{ id: number }> {
    return this.request('POST', '/api/v1/sla-status', status);
  }

  /** The team the token belongs to. */
  whoami(): Promise<{ team: string; token: number }> {
    return this.request('GET', '/api/v1/whoami');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new TransientError(`cannot reach the catalog at ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw errorFromResponse(response.status, parsed, url);
    return parsed as T;
  }
}

/**
 * The catalog's JSON error (`{error: {code, message, violations?}}`) as the project's error of that code, so
 * that a command reports a refusal from the server exactly as it would report the same refusal locally.
 */
export function errorFromResponse(status: number, body: unknown, url: string): MeshError {
  const error = (body as { error?: { code?: unknown; message?: unknown; violations?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `the catalog answered ${status} to ${url}`;
  switch (error?.code) {
    case 'INVALID_CONTENT':
      return new InvalidContentError(message, Array.isArray(error.violations) ? (error.violations as Violation[]) : []);
    case 'BAD_INPUT':
    case 'USAGE':
      return new InputError(message);
    case 'UNAUTHENTICATED':
      return new AuthenticationError(message);
    case 'FORBIDDEN':
      return new ForbiddenError(message);
    case 'NOT_FOUND':
      return new NotFoundError(message);
    case 'CONFLICT':
      return new ConflictError(message);
    case 'LIMIT_EXCEEDED':
      return new LimitError(message);
  }
  if (status >= 500 || error?.code === 'TRANSIENT') return new TransientError(message);
  return new InputError(message);
}
