import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { errorMessage, NotFoundError } from '../errors.js';
import type { Repository } from '../repo/Repository.js';
import type { SqlClient } from '../db/SqlClient.js';
import type { StagingAudit } from './auditStaging.js';
import type { PipelineObserver } from './PipelineObserver.js';
import { declaredKind, planStep, type StepPlan } from './planStep.js';
import { tableLabel } from './auditStaging.js';
import { portTable } from '../warehouse/portTable.js';
import type { ProductSummary, RunSummary, StepSummary } from './RunSummary.js';
import { runStep } from './runStep.js';
import type { RetryPolicy } from './withRetries.js';

export interface RunPipelinesOptions {
  readonly repository: Repository;
  readonly warehouse: SqlClient;
  /** Product ids to run, or every product of the repository. */
  readonly products: readonly string[] | 'all';
  /** The audit of write-audit-publish (the quality engine, through `createStagingAudit`). */
  readonly audit: StagingAudit;
  /** Rebuild incremental and CDC tables from scratch instead of adding to them. */
  readonly fullRefresh?: boolean;
  readonly observer?: PipelineObserver;
  /** Run ids (UUIDs); default random ones. OpenLineage prefers UUID v7, which the lineage client can supply. */
  readonly newRunId?: () => string;
  /** Overrides every product's retry policy (tests). */
  readonly retry?: RetryPolicy;
}

/**
 * Runs products' pipelines in dependency order (producers first) and returns what happened. A product that
 * fails does not stop the run: the products downstream of it in this run are skipped (they would read stale
 * or missing data), the others go on. Products without a pipeline are skipped with that reason.
 *
 * The repository must be valid (`mesh run` refuses to start otherwise); a product asked for by id must
 * exist. Upstream products that are not part of the run must have been built before: a SQL step whose input
 * table is missing fails, saying so.
 */
export async function runPipelines(options: RunPipelinesOptions): Promise<RunSummary> {
  const { repository } = options;
  const newRunId = options.newRunId ?? randomUUID;
  const observer = options.observer ?? {};
  const wanted = options.products === 'all' ? [...repository.products.keys()] : [...options.products];
  for (const id of wanted) if (!repository.products.has(id)) throw new NotFoundError(`no product ${id} in ${repository.root}`);
  const order = repository.graph.order(wanted);

  const runId = newRunId();
  const startedAt = new Date();
  const started = performance.now();
  await observer.runStarted?.({ runId, products: order, eventTime: startedAt });

  const failed = new Set<string>();
  const products: ProductSummary[] = [];
  for (const id of order) {
    const product = repository.products.get(id)!;
    const productRunId = newRunId();
    const blockedBy = repository.graph.upstream(id).find((r) => failed.has(r.id));
    const steps = product.manifest.pipeline?.steps ?? [];
    if (blockedBy || steps.length === 0) {
      const reason = blockedBy ? `upstream product ${blockedBy.id} failed in this run` : 'the product has no pipeline';
      if (blockedBy) failed.add(id);
      const summary: ProductSummary = { product: id, runId: productRunId, status: 'skipped', reason, durationMs: 0, steps: [] };
      products.push(summary);
      await observer.productEnded?.({ runId: productRunId, parentRunId: runId, product: id, eventTime: new Date(), summary });
      continue;
    }

    const productStarted = performance.now();
    await observer.productStarted?.({ runId: productRunId, parentRunId: runId, product: id, eventTime: new Date() });
    const stepSummaries: StepSummary[] = [];
    for (const step of steps) {
      let plan: StepPlan;
      try {
        plan = await planStep(repository, product, step);
      } catch (error) {
        // A step that cannot even be planned (an unreadable SQL file) fails without touching the warehouse.
        stepSummaries.push({
          port: step.port,
          table: tableLabel(portTable(product.manifest, step.port)),
          kind: declaredKind(step),
          status: 'failed',
          rowsIn: 0,
          rowsOut: 0,
          rejected: 0,
          records: 0,
          attempts: 0,
          retries: [],
          durationMs: 0,
          checks: [],
          error: errorMessage(error),
        });
        continue;
      }
      const context = {
        warehouse: options.warehouse,
        repository,
        audit: options.audit,
        observer,
        productRunId,
        newRunId,
        fullRefresh: options.fullRefresh ?? false,
        ...(options.retry ? { retry: options.retry } : {}),
      };
      stepSummaries.push(await runStep(context, plan));
    }
    const failedStep = stepSummaries.find((s) => s.status === 'failed');
    const reason = failedStep ? `port ${failedStep.port}: ${failedStep.error ?? 'failed'}` : undefined;
    const summary: ProductSummary = {
      product: id,
      runId: productRunId,
      status: reason === undefined ? 'completed' : 'failed',
      ...(reason !== undefined ? { reason } : {}),
      durationMs: performance.now() - productStarted,
      steps: stepSummaries,
    };
    if (reason !== undefined) failed.add(id);
    products.push(summary);
    await observer.productEnded?.({ runId: productRunId, parentRunId: runId, product: id, eventTime: new Date(), summary });
  }

  const allSteps = products.flatMap((p) => p.steps);
  const summary: RunSummary = {
    runId,
    status: failed.size === 0 ? 'completed' : 'failed',
    warehouse: options.warehouse.location,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    products,
    totals: {
      products: products.length,
      completed: products.filter((p) => p.status === 'completed').length,
      failed: products.filter((p) => p.status === 'failed').length,
      skipped: products.filter((p) => p.status === 'skipped').length,
      ports: allSteps.length,
      rowsIn: sum(allSteps.map((s) => s.rowsIn)),
      rowsOut: sum(allSteps.map((s) => s.rowsOut)),
      rejected: sum(allSteps.map((s) => s.rejected)),
    },
  };
  await observer.runEnded?.(summary);
  return summary;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
