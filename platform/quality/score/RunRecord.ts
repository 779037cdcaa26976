/** One past pipeline run of a product, as the catalog or the pipeline's run log knows it. */
export interface RunRecord {
  /** The OpenLineage terminal state: COMPLETE counts as a success, FAIL and ABORT as failures. */
  readonly state: 'COMPLETE' | 'FAIL' | 'ABORT';
  /** ISO date-time at which the run ended. */
  readonly endedAt: string;
}
