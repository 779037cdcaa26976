import type { QualityReport } from '../quality/QualityReport.js';
import type { ProductSummary, RetryNote, RunSummary, StepSummary } from './RunSummary.js';
import type { StepKind } from './planStep.js';

/** A dataset a step reads: an upstream product's port (its table), or a file beside the manifest. */
export type StepInput =
  | { readonly kind: 'port'; readonly product: string; readonly port: string; readonly table: string }
  | { readonly kind: 'file'; readonly path: string; readonly format: 'csv' | 'jsonl' };

/** The run of one product, from START to COMPLETE or FAIL. */
export interface ProductRunEvent {
  readonly runId: string;
  /** The run of the whole `mesh run` invocation (the parent of every product run). */
  readonly parentRunId: string;
  readonly product: string;
  readonly eventTime: Date;
}

/** The run of one step (one output port) of a product, a child of the product run. */
export interface StepRunEvent {
  readonly runId: string;
  /** The product run this step belongs to. */
  readonly parentRunId: string;
  readonly product: string;
  readonly port: string;
  readonly kind: StepKind;
  /** `schema.name` of the port's table or view. */
  readonly output: string;
  readonly inputs: readonly StepInput[];
  /** SQL steps: the SQL as written (with `{{ ref(...) }}`) and as run. */
  readonly sql?: { readonly text: string; readonly compiled: string };
  readonly eventTime: Date;
}

/**
 * Hooks called as a run goes: the seam where OpenLineage events are emitted (START on `*Started`, COMPLETE
 * or FAIL on `*Ended` with the summary: row counts, rejects, column lineage, the error). Every hook may be
 * async; the run waits for it. A hook that throws fails the run: lineage clients spool what they cannot
 * deliver rather than throw, so a throw means a bug worth stopping for.
 */
export interface PipelineObserver {
  runStarted?(event: { readonly runId: string; readonly products: readonly string[]; readonly eventTime: Date }): void | Promise<void>;
  runEnded?(summary: RunSummary): void | Promise<void>;
  productStarted?(event: ProductRunEvent): void | Promise<void>;
  /** `summary.status` is `skipped` for a product that did not run (no START was sent for it). */
  productEnded?(event: ProductRunEvent & { readonly summary: ProductSummary }): void | Promise<void>;
  stepStarted?(event: StepRunEvent): void | Promise<void>;
  /** A transient error ended an attempt; the step runs again after `delayMs`. */
  stepRetrying?(event: StepRunEvent & { readonly retry: RetryNote }): void | Promise<void>;
  /**
   * `summary.status` says COMPLETE or FAIL; `error` is what failed (the audit's reason or the exception);
   * `quality` is the audit's report on the staged data (for `dataQualityMetrics` and `dataQualityAssertions`).
   */
  stepEnded?(event: StepRunEvent & { readonly summary: StepSummary; readonly error?: unknown; readonly quality?: QualityReport }): void | Promise<void>;
}
