/** Where an assessment stands, for progress bars: `done` of `total` (unknown for a table scan). */
export interface QualityProgress {
  readonly phase: 'read' | 'scan' | 'validate' | 'keys' | 'checks' | 'dead letters';
  readonly done: number;
  readonly total: number | undefined;
  readonly unit: 'bytes' | 'rows' | 'steps';
}
