import type { ContractSet } from '../contract/ContractSet.js';
import type { Measure, Observation } from './checks/Measure.js';
import type { ContractAnalysis } from './contract/analyzeContract.js';
import type { QualityProgress } from './QualityProgress.js';
import type { DeadLetterSummary, FieldMetrics, MeasurementMethod, QualitySourceSummary } from './QualityReport.js';

/** What a source engine (table or file) is asked to measure. */
export interface MeasurePlan {
  readonly contracts: ContractSet;
  readonly analysis: ContractAnalysis;
  /** Every measure of the checks and of the contract's keys, each once. */
  readonly measures: readonly Measure[];
  /** The SLA's freshness column, when it names one. */
  readonly freshnessColumn: string | undefined;
  readonly onProgress: ((progress: QualityProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

/** What a source engine measured: the facts the checks, the score and the SLA are judged on. */
export interface Measurements {
  readonly records: number;
  readonly invalid: number;
  /** Per contract field, without `distinct` (keys carry it). */
  readonly fields: FieldMetrics[];
  /** By `measureKey`. */
  readonly observations: ReadonlyMap<string, Observation>;
  /** The newest value of the freshness column, ISO. */
  readonly newest: string | undefined;
  /** Why there is no newest value, when a column was asked for. */
  readonly newestUnknown: string | undefined;
  readonly deadLetter: DeadLetterSummary | null;
  readonly source: QualitySourceSummary;
  readonly method: Omit<MeasurementMethod, 'durationMs'>;
}
