import type { QualityCheck } from '../manifest/DataProductManifest.js';

/** The assessment of one output port's data: what `mesh test` prints and what a pipeline run audits. */
export interface QualityReport {
  readonly product: string;
  readonly port: string;
  readonly contract: { readonly file: string; readonly version: string | null };
  readonly source: QualitySourceSummary;
  /** ISO date-time at which the assessment started. */
  readonly measuredAt: string;
  /** Records read. */
  readonly records: number;
  /** Records valid against the contract. */
  readonly valid: number;
  /** Records rejected by the contract; each one is a dead letter. */
  readonly invalid: number;
  /** Per-field metrics, in contract order. */
  readonly fields: readonly FieldMetrics[];
  /** Primary key and `x-unique` fields of the contract, and the fields of `unique` checks. */
  readonly keys: readonly KeyMetrics[];
  readonly score: QualityScore;
  readonly sla: SlaStatus;
  /** Every check with its outcome: the contract's own (validity, keys) first, then the manifest's. */
  readonly checks: readonly CheckResult[];
  /** Where the rejected records went; null when none were written. */
  readonly deadLetter: DeadLetterSummary | null;
  /** How the assessment was made: what SQL decided, what was streamed, how many scans. */
  readonly method: MeasurementMethod;
  /** Whether the data keeps its promises: no error-severity check failed and no SLA is breached. */
  readonly passed: boolean;
  /** Why not, one line each (empty when `passed`). */
  readonly failures: readonly string[];
}

export type QualitySourceSummary =
  | { readonly kind: 'table'; readonly table: string; readonly location: string; readonly missingColumns: readonly string[]; readonly extraColumns: readonly string[] }
  | { readonly kind: 'file'; readonly path: string; readonly format: 'csv' | 'jsonl'; readonly bytes: number };

export interface FieldMetrics {
  readonly name: string;
  /** Values present and not null. */
  readonly count: number;
  /** Null or absent values. */
  readonly nulls: number;
  /** Records whose contract errors point into this field. */
  readonly invalid: number;
  /** Distinct non-null values, for key fields. */
  readonly distinct?: number;
  /** Smallest and largest value, for numeric and date/date-time fields (dates as ISO strings). */
  readonly min?: number | string;
  readonly max?: number | string;
}

export interface KeyMetrics {
  readonly fields: readonly string[];
  /** Where the key comes from: the contract's `x-primary-key`, a field's `x-unique`, or a `unique` check. */
  readonly origin: 'primary_key' | 'unique' | 'check';
  /** Records whose key fields are all non-null. */
  readonly count: number;
  readonly distinct: number;
  /** Records beyond the first for each repeated key value: `count - distinct`. */
  readonly duplicates: number;
  /** A few repeated key values, when there are duplicates. */
  readonly examples: readonly unknown[];
  /** Whether a unique index of the table proves the key, so that no scan counted it. */
  readonly enforced: boolean;
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export type DimensionName = 'validity' | 'completeness' | 'uniqueness' | 'freshness' | 'checks' | 'documentation';

export interface QualityDimension {
  readonly name: DimensionName;
  /** 0-100, or null when the dimension could not be measured (then it is left out of the score). */
  readonly score: number | null;
  /** The configured weight (defaults, or the manifest's `scoring.weights`). */
  readonly weight: number;
  /** The weight after renormalizing over the measured dimensions; 0 when not measured. */
  readonly share: number;
  /** How it was measured, or why it could not be. */
  readonly detail: string;
}

export interface QualityScore {
  /** 0-100 with one decimal, or null when no dimension with a weight could be measured. */
  readonly score: number | null;
  readonly grade: Grade | null;
  readonly dimensions: readonly QualityDimension[];
  readonly detail: string;
}

/** How an SLA promise stands. */
export type SlaState = 'MET' | 'AT_RISK' | 'BREACHED' | 'UNKNOWN';

export interface SlaStatus {
  readonly freshness: {
    readonly status: SlaState;
    readonly lagSeconds: number | null;
    readonly maxSeconds: number | null;
    /** What dated the data: the SLA's column, or the last successful run. */
    readonly measuredFrom: 'column' | 'last_run' | null;
    /** The newest timestamp found, ISO. */
    readonly newest: string | null;
    readonly detail: string;
  };
  readonly completeness: { readonly status: SlaState; readonly percent: number | null; readonly target: number | null; readonly detail: string };
  readonly availability: { readonly status: SlaState; readonly percent: number | null; readonly target: number | null; readonly detail: string };
}

export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface CheckResult {
  readonly name: string;
  /** The manifest's check kind, or `contract` for validity against the contract. */
  readonly check: QualityCheck['check'] | 'contract';
  /** `manifest` checks come from `quality:`; `contract` checks from the contract itself (validity, keys). */
  readonly origin: 'manifest' | 'contract';
  readonly severity: 'error' | 'warn';
  readonly status: CheckStatus;
  /** `status === 'passed'`. */
  readonly passed: boolean;
  /** What was measured: duplicates, nulls, rows outside the values, the query's value... */
  readonly observed: number | null;
  /** What the check demands, in words. */
  readonly expected: string;
  readonly message: string;
  readonly fields?: readonly string[];
  readonly examples?: readonly unknown[];
}

export type DeadLetterSummary =
  | { readonly kind: 'file'; readonly path: string; readonly count: number }
  | { readonly kind: 'table'; readonly table: string; readonly source: string; readonly runId: string | null; readonly count: number };

/** One rejected record, as a dead-letter file line or table row holds it. */
export interface DeadLetter {
  /** Line of the input file (files), or the row's `ctid` (tables). */
  readonly line?: number;
  readonly ctid?: string;
  /** The record as Ajv saw it; absent when the line was not JSON (then `raw` holds its start). */
  readonly record?: unknown;
  readonly raw?: string;
  readonly errors: readonly DeadLetterError[];
}

/** An Ajv error as a dead letter keeps it: where in the record, which keyword of the contract, why. */
export interface DeadLetterError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message: string;
}

export interface MeasurementMethod {
  /** Passes over the data: aggregate, keys, stream, check queries (tables); 1 for a file. */
  readonly scans: number;
  /** Contract fields whose every constraint SQL decided. */
  readonly pushedDown: readonly string[];
  /** The table's CHECK constraint that proves what SQL decides, so that no row was evaluated. */
  readonly provedBy?: string;
  /** Fields (or `(record)`) that needed Ajv, and why. */
  readonly streamedFields: readonly { readonly field: string; readonly reason: string }[];
  /** Records that went through Ajv. */
  readonly streamed: number;
  readonly durationMs: number;
}
