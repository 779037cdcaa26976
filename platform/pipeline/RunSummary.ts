import type { ContractEnforcement } from './enforceContract.js';
import type { PublishMode } from './publish.js';
import type { StepKind } from './planStep.js';
import type { ColumnLineage } from './columnLineage.js';

/** One quality check's outcome in a run's audit (from the quality engine's `CheckResult`). */
export interface CheckOutcome {
  readonly name: string;
  /** `manifest`: the product's `quality` checks; `contract`: what the contract implies (its keys' uniqueness). */
  readonly origin: 'manifest' | 'contract';
  /** `error`: the check could not be measured (a failing SQL check query, say). */
  readonly status: 'passed' | 'failed' | 'skipped' | 'error';
  readonly severity: 'error' | 'warn';
  readonly message: string;
}

/** A retry of a step after a transient error. */
export interface RetryNote {
  /** The attempt that failed (1 = the first). */
  readonly attempt: number;
  readonly error: string;
  readonly delayMs: number;
}

/** What one step (one output port) of a run did. */
export interface StepSummary {
  readonly port: string;
  /** `schema.name` of the port's table or view. */
  readonly table: string;
  readonly kind: StepKind;
  readonly status: 'completed' | 'failed';
  /** Records the step read: file records, change events, or rows the transform returned (above the watermark). */
  readonly rowsIn: number;
  /** Rows of the published table or view after the run; for a failed run, of the table left in place. */
  readonly rowsOut: number;
  /** Records rejected by this run (conversion, change events, contract): they are in `deadLetters`. */
  readonly rejected: number;
  /** Records the audit considered: the staged rows and the rejects of the load. */
  readonly records: number;
  readonly attempts: number;
  readonly retries: readonly RetryNote[];
  readonly durationMs: number;
  /** How the new data was published; absent when the run failed. */
  readonly published?: PublishMode;
  /** What the published table enforces of the contract; absent for a view, and when the run failed. */
  readonly enforces?: ContractEnforcement;
  /** `schema.name` of the dead-letter table, when records were rejected. */
  readonly deadLetters?: string;
  readonly checks: readonly CheckOutcome[];
  /** The quality score of the staged data, as the audit measured it. */
  readonly quality?: { readonly score: number | null; readonly grade: string | null };
  /** Why the step failed: the audit's reason, or the error. */
  readonly error?: string;
  /** Column lineage of a SQL step, where the SELECT list says it. */
  readonly columnLineage?: ColumnLineage;
}

/** What one product did in a run. */
export interface ProductSummary {
  readonly product: string;
  readonly runId: string;
  /** `skipped`: no pipeline, or an upstream product failed in this run (see `reason`). */
  readonly status: 'completed' | 'failed' | 'skipped';
  readonly reason?: string;
  readonly durationMs: number;
  readonly steps: readonly StepSummary[];
}

/** A whole `mesh run`. */
export interface RunSummary {
  readonly runId: string;
  /** `completed` when no product failed or was skipped for a failure upstream. */
  readonly status: 'completed' | 'failed';
  /** Where the warehouse is (`pglite://...`, `postgres://host:port/db`, without credentials). */
  readonly warehouse: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly products: readonly ProductSummary[];
  readonly totals: {
    readonly products: number;
    readonly completed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly ports: number;
    readonly rowsIn: number;
    readonly rowsOut: number;
    readonly rejected: number;
  };
}
