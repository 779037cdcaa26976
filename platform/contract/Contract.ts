import type { SourceDocument } from '../source/SourceDocument.js';

/** One contract file of the repository, parsed. */
export interface Contract {
  /** Repository-relative path, e.g. `contracts/sales/orders.schema.json`. */
  readonly file: string;
  /** Absolute `file:` URI; the base for its relative `$ref`s when it has no `$id`. */
  readonly uri: string;
  readonly document: SourceDocument;
  /** The parsed schema (an object or a boolean). */
  readonly schema: unknown;
  /** The contract's `x-version`, when it has a valid one. */
  readonly version: string | undefined;
}
