import { MeshError } from '../platform/errors.js';

/** One located reason why content was refused: a JSON pointer into what the client sent, and a message. */
export interface Violation {
  readonly pointer: string;
  readonly message: string;
  /** The schema (`$id`) or rule that failed, when there is one. */
  readonly schema?: string;
}

/**
 * Well-formed content that does not conform: an OpenLineage event against the spec, a publication against the
 * manifest schema. The HTTP edge answers 422 with the violations; the CLI prints them.
 */
export class InvalidContentError extends MeshError {
  constructor(
    message: string,
    readonly violations: readonly Violation[],
    options?: { cause?: unknown },
  ) {
    super('INVALID_CONTENT', message, options);
  }
}
