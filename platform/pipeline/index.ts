/**
 * Pipelines: `runPipelines` builds products' output ports in the warehouse (file loads, change data capture,
 * SQL transforms as tables, views or incremental tables), each through write, audit, publish. Exports here are
 * the pipeline's public surface.
 */
export { runPipelines, type RunPipelinesOptions } from './runPipelines.js';
export { createStagingAudit } from './createStagingAudit.js';
export { auditFailure, type AuditReport, type AuditRequest, type StagingAudit } from './auditStaging.js';
export type { PipelineObserver, ProductRunEvent, StepRunEvent, StepInput } from './PipelineObserver.js';
export type { RunSummary, ProductSummary, StepSummary, CheckOutcome, RetryNote } from './RunSummary.js';
export { formatRunSummary } from './formatRunSummary.js';
export { planStep, declaredKind, stepProblem, type StepPlan, type StepKind, type UpstreamPort } from './planStep.js';
export { deriveColumnLineage, columnLineageOf, type ColumnLineage, type ColumnSource, type ColumnTransformation } from './columnLineage.js';
export { loadFile, LOAD_REJECTS, type FileToLoad, type LoadOutcome } from './loadFile.js';
export { withRetries, RetriesExhausted, DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryOutcome } from './withRetries.js';
export { findSqlRefs, replaceSqlRefs, type SqlRef } from './sqlRefs.js';
