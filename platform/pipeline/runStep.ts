import { performance } from 'node:perf_hooks';
import { errorMessage, InputError, NotFoundError } from '../errors.js';
import type { Repository } from '../repo/Repository.js';
import { parseDuration } from '../quality/score/parseDuration.js';
import { quoteIdent, quoteTable, type SqlClient } from '../db/SqlClient.js';
import { sqlState } from '../db/transientErrors.js';
import { applyChanges, type ChangeOutcome } from './applyChanges.js';
import { tableLabel, type StagingAudit } from './auditStaging.js';
import type { QualityReport } from '../quality/QualityReport.js';
import { deriveColumnLineage } from './columnLineage.js';
import { loadFile } from './loadFile.js';
import { aboveWatermark, BATCH, keepPublishedVersions, mergeBatch } from './mergeBatch.js';
import type { PipelineObserver, StepInput, StepRunEvent } from './PipelineObserver.js';
import { changeColumns, type StepPlan } from './planStep.js';
import { dropEnforcement, enforceContract, renameKeys, type ContractEnforcement } from './enforceContract.js';
import type { KeyMetrics } from '../quality/QualityReport.js';
import { describeRelation, publishTable, publishView, type PublishMode } from './publish.js';
import { besideTable, countRows, dropRelation, relationColumns, relationKind } from './relations.js';
import type { CheckOutcome, RetryNote, StepSummary } from './RunSummary.js';
import type { TableName } from '../warehouse/portTable.js';
import { sessionSetup } from './sessionSetup.js';
import { DEFAULT_RETRY_POLICY, RetriesExhausted, withRetries, type RetryPolicy } from './withRetries.js';

export interface StepContext {
  readonly warehouse: SqlClient;
  readonly repository: Repository;
  readonly audit: StagingAudit;
  readonly observer: PipelineObserver;
  /** The product run this step belongs to. */
  readonly productRunId: string;
  readonly newRunId: () => string;
  /** Rebuild incremental and CDC tables from scratch. */
  readonly fullRefresh: boolean;
  /** Overrides the manifest's retry policy (tests). */
  readonly retry?: RetryPolicy;
}

/** What one attempt produced, before it is summarized. */
interface Built {
  readonly rowsIn: number;
  readonly loadRejected: number;
  readonly relationKind: 'table' | 'view';
  /** Work after a passing audit, before publishing (keys whose new version was rejected keep their old one). */
  readonly afterAudit?: (tx: SqlClient) => Promise<void>;
  /** Work that belongs to publishing (the CDC key state). */
  readonly onPublish?: (tx: SqlClient) => Promise<void>;
}

interface AttemptResult {
  readonly status: 'completed' | 'failed';
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly records: number;
  readonly rejected: number;
  readonly checks: readonly CheckOutcome[];
  readonly published?: PublishMode;
  readonly enforced?: ContractEnforcement;
  readonly deadLetters?: string;
  readonly failure?: string;
  readonly quality?: QualityReport;
}

/**
 * Runs one step: build the port into a staging relation, audit it, publish it. All of it is one transaction
 * on the warehouse, so that an error at any point leaves nothing behind and the published data untouched;
 * the same property makes a retry safe, and transient errors (`isTransientError`) are retried as a whole with
 * the product's backoff. A run the audit fails still commits, but only the dead letters: the staging
 * relation is dropped and the published one stays as it was.
 */
export async function runStep(context: StepContext, plan: StepPlan): Promise<StepSummary> {
  const started = performance.now();
  const event: StepRunEvent = {
    runId: context.newRunId(),
    parentRunId: context.productRunId,
    product: plan.product.id,
    port: plan.port,
    kind: plan.kind,
    output: tableLabel(plan.target),
    inputs: stepInputs(plan),
    ...(plan.sql ? { sql: plan.sql } : {}),
    eventTime: new Date(),
  };
  await context.observer.stepStarted?.(event);
  const retries: RetryNote[] = [];
  const columnLineage = plan.sql ? deriveColumnLineage(context.repository, plan) : undefined;
  const base = { port: plan.port, table: tableLabel(plan.target), kind: plan.kind, ...(columnLineage ? { columnLineage } : {}) };
  let summary: StepSummary;
  let error: unknown;
  let quality: QualityReport | undefined;
  try {
    const { value, attempts } = await withRetries(
      () => context.warehouse.transaction((tx) => attempt(tx, context, plan, event.runId)),
      context.retry ?? retryPolicy(plan),
      {
        onRetry: async (cause, attemptNumber, delayMs) => {
          const retry = { attempt: attemptNumber, error: errorMessage(cause), delayMs };
          retries.push(retry);
          try {
            await context.observer.stepRetrying?.({ ...event, eventTime: new Date(), retry });
          } catch (hookError) {
            throw new ObserverFailure(hookError);
          }
        },
      },
    );
    summary = {
      ...base,
      status: value.status,
      rowsIn: value.rowsIn,
      rowsOut: value.rowsOut,
      rejected: value.rejected,
      records: value.records,
      attempts,
      retries,
      durationMs: performance.now() - started,
      ...(value.published ? { published: value.published } : {}),
      ...(value.enforced ? { enforces: value.enforced } : {}),
      ...(value.deadLetters ? { deadLetters: value.deadLetters } : {}),
      checks: value.checks,
      ...(value.quality ? { quality: { score: value.quality.score.score, grade: value.quality.score.grade } } : {}),
      ...(value.failure ? { error: value.failure } : {}),
    };
    quality = value.quality;
    if (value.failure) error = new Error(value.failure);
  } catch (caught) {
    if (caught instanceof ObserverFailure) throw caught.cause; // a hook's failure stops the run, it is no step failure
    const cause = caught instanceof RetriesExhausted ? caught.cause : caught;
    error = cause;
    summary = {
      ...base,
      status: 'failed',
      rowsIn: 0,
      rowsOut: await publishedRows(context.warehouse, plan).catch(() => 0),
      rejected: 0,
      records: 0,
      attempts: caught instanceof RetriesExhausted ? caught.attempts : 1,
      retries,
      durationMs: performance.now() - started,
      checks: [],
      error: describeError(cause),
    };
  }
  await context.observer.stepEnded?.({ ...event, eventTime: new Date(), summary, ...(error !== undefined ? { error } : {}), ...(quality ? { quality } : {}) });
  return summary;
}

/** An observer hook threw inside the retry loop: not the step's error, the run's. */
class ObserverFailure extends Error {
  constructor(cause: unknown) {
    super(errorMessage(cause), { cause });
  }
}

async function attempt(tx: SqlClient, context: StepContext, plan: StepPlan, runId: string): Promise<AttemptResult> {
  await sessionSetup(tx);
  // One run of a port at a time, across processes: the lock ends with the transaction.
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [quoteTable(plan.target)]);
  await tx.exec(`create schema if not exists ${quoteIdent(plan.target.schema)}`);
  await requireUpstream(tx, plan);
  await dropRelation(tx, plan.staging);

  const built = await build(tx, plan, context.fullRefresh);
  const table = built.relationKind === 'table';
  // Statistics now, not whenever autovacuum comes by (PGlite has none): without them a fresh table looks empty
  // to the planner, and the audit's queries and downstream transforms nest loops over thousands of rows.
  if (table) await tx.exec(`analyze ${quoteTable(plan.staging)}`);
  const enforce = (on: TableName, keys?: readonly KeyMetrics[]) =>
    enforceContract(tx, { repository: context.repository, product: plan.product.id, port: plan.port, table: on, ...(keys ? { keys } : {}) });
  // The contract's constraints first: rows that keep them (the usual case) pay one pass for both, since the
  // audit then trusts them instead of evaluating the contract on every row and counting the keys.
  let enforced = table ? await enforce(plan.staging) : undefined;
  const report = await context.audit({ tx, repository: context.repository, plan, relation: plan.staging, relationKind: built.relationKind, runId, loadRejected: built.loadRejected });
  const failure = report.failure;
  const common = {
    rowsIn: built.rowsIn,
    records: report.records,
    rejected: report.rejected,
    checks: report.checks,
    ...(report.deadLetters && report.rejected > 0 ? { deadLetters: tableLabel(report.deadLetters) } : {}),
    ...(report.quality ? { quality: report.quality } : {}),
  };
  if (failure !== undefined) {
    await dropRelation(tx, plan.staging);
    return { ...common, status: 'failed', rowsOut: await publishedRows(tx, plan), failure };
  }

  // A published version that an incremental or CDC step keeps for a key whose new version was rejected
  // answers to the contract it was published under, which may not be this one: it goes in unconstrained.
  if (enforced && built.afterAudit && report.rejected > 0) await dropEnforcement(tx, plan.staging);
  await built.afterAudit?.(tx);
  // Rows removed (or kept back) since, or something did not hold: what failed may hold now.
  if (enforced && (report.rejected > 0 || enforced.skipped.length > 0)) enforced = await enforce(plan.staging, report.quality?.keys);
  let published: PublishMode;
  if (built.relationKind === 'view') {
    await dropRelation(tx, plan.staging);
    published = await publishView(tx, plan.sql!.compiled, plan.target);
  } else {
    published = await publishTable(tx, plan.staging, plan.target);
    // Renamed into place, the keys take the published table's names; refilled in place, the table drops
    // the old contract's constraints and takes the new one's.
    if (enforced) enforced = published === 'refilled' ? await enforce(plan.target, report.quality?.keys) : await renameKeys(tx, enforced, plan.target);
  }
  await built.onPublish?.(tx);
  await describeRelation(tx, plan.target, built.relationKind, plan.product.manifest.outputs.find((o) => o.port === plan.port)?.description ?? plan.product.manifest.description, plan.shape.fields);
  return { ...common, status: 'completed', rowsOut: await publishedRows(tx, plan), published, ...(enforced ? { enforced } : {}) };
}

/** Builds the port into `plan.staging` (a table, or a view for view steps). */
async function build(tx: SqlClient, plan: StepPlan, fullRefresh: boolean): Promise<Built> {
  const staging = quoteTable(plan.staging);
  switch (plan.kind) {
    case 'load': {
      const loaded = await loadFile(tx, staging, { ...plan.file!, columns: plan.columns, open: plan.shape.open });
      return { rowsIn: loaded.records, loadRejected: loaded.rejected, relationKind: 'table' };
    }
    case 'load-incremental': {
      await copyPublished(tx, plan, fullRefresh);
      const loaded = await loadFile(tx, BATCH, { ...plan.file!, columns: plan.columns, open: plan.shape.open });
      if (plan.step.watermark !== undefined) await tx.exec(`delete from ${BATCH} as b where not ${aboveWatermark('b', plan.step.watermark, staging)}`);
      await mergeBatch(tx, plan.staging, plan.step.uniqueKey, plan.columns.map((c) => c.name));
      return { rowsIn: loaded.records, loadRejected: loaded.rejected, relationKind: 'table', ...keepKeys(plan, plan.columns.map((c) => c.name), fullRefresh) };
    }
    case 'cdc': {
      const cdc = plan.step.load!.cdc!;
      await copyPublished(tx, plan, fullRefresh);
      const loaded = await loadFile(tx, BATCH, { ...plan.file!, columns: changeColumns(plan), open: plan.shape.open });
      const changes: ChangeOutcome = await applyChanges(tx, plan.staging, { ...cdc, columns: plan.columns, state: besideTable(plan.target, '__cdc_state') }, fullRefresh);
      const rejected = (await tx.query<{ n: number }>('select count(*)::int as n from pg_temp.mesh_load_rejects')).rows[0]!.n;
      return { rowsIn: loaded.records, loadRejected: rejected, relationKind: 'table', afterAudit: (t) => changes.afterAudit(t, plan.target), onPublish: changes.commitState };
    }
    case 'sql-table': {
      await tx.query(`create table ${staging} as select * from (\n${plan.sql!.compiled}\n) as mesh_source`);
      return { rowsIn: await countRows(tx, staging), loadRejected: 0, relationKind: 'table' };
    }
    case 'sql-incremental': {
      const existing = fullRefresh ? undefined : await relationKind(tx, plan.target);
      if (existing === undefined) {
        await tx.query(`create table ${staging} as select * from (\n${plan.sql!.compiled}\n) as mesh_source`);
        return { rowsIn: await countRows(tx, staging), loadRejected: 0, relationKind: 'table' };
      }
      await tx.exec(`create table ${staging} as table ${quoteTable(plan.target)}`);
      const filter = plan.step.watermark !== undefined ? ` where ${aboveWatermark('mesh_source', plan.step.watermark, staging)}` : '';
      await tx.query(`create temp table ${BATCH} on commit drop as select * from (\n${plan.sql!.compiled}\n) as mesh_source${filter}`);
      const rowCount = await countRows(tx, BATCH);
      const columns = (await relationColumns(tx, { schema: 'pg_temp', name: 'mesh_batch' })).map((c) => c.name);
      await withSchemaHint(plan, () => mergeBatch(tx, plan.staging, plan.step.uniqueKey, columns));
      return { rowsIn: rowCount, loadRejected: 0, relationKind: 'table', ...keepKeys(plan, columns, fullRefresh) };
    }
    case 'sql-view': {
      await tx.query(`create view ${staging} as\n${plan.sql!.compiled}`);
      return { rowsIn: await countRows(tx, staging), loadRejected: 0, relationKind: 'view' };
    }
  }
}

/** For an incremental merge on a key: rows the audit rejects leave the key's published row in place. */
function keepKeys(plan: StepPlan, columns: readonly string[], fullRefresh: boolean): Pick<Built, 'afterAudit'> {
  const key = plan.step.uniqueKey;
  if (!key || key.length === 0 || fullRefresh) return {};
  return { afterAudit: async (tx) => void (await keepPublishedVersions(tx, plan.staging, plan.target, key, BATCH, 'true', columns)) };
}

/**
 * Creates the staging table with the port's columns and, unless rebuilding, the published rows: the base an
 * incremental load or a CDC load changes. Columns are copied by name.
 */
async function copyPublished(tx: SqlClient, plan: StepPlan, fullRefresh: boolean): Promise<void> {
  await tx.exec(`create table ${quoteTable(plan.staging)} (${plan.columns.map((c) => `${quoteIdent(c.name)} ${c.sqlType}`).join(', ')})`);
  if (fullRefresh || (await relationKind(tx, plan.target)) === undefined) return;
  const published = new Set((await relationColumns(tx, plan.target)).map((c) => c.name));
  const shared = plan.columns.filter((c) => published.has(c.name)).map((c) => quoteIdent(c.name));
  if (shared.length === 0) return;
  await withSchemaHint(plan, () => tx.exec(`insert into ${quoteTable(plan.staging)} (${shared.join(', ')}) select ${shared.join(', ')} from ${quoteTable(plan.target)}`));
}

/** Column mismatches between the published table and the new rows get the way out in their message. */
async function withSchemaHint<T>(plan: StepPlan, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const state = sqlState(error);
    if (state === '42703' || state === '42804' || state === '42P10') {
      throw new InputError(`${tableLabel(plan.target)}: the new rows do not fit the published table (${errorMessage(error)}); its columns changed, so rebuild it with mesh run --full-refresh`, { cause: error });
    }
    throw error;
  }
}

/** A SQL step reads upstream ports' tables: they must have been built. */
async function requireUpstream(tx: SqlClient, plan: StepPlan): Promise<void> {
  for (const upstream of plan.upstream) {
    if ((await relationKind(tx, upstream.table)) === undefined) {
      throw new NotFoundError(
        `upstream port ${upstream.product}/${upstream.port} has not been built (${tableLabel(upstream.table)} does not exist in the warehouse); ` +
          `run mesh run ${upstream.product} first, or mesh run --all`,
      );
    }
  }
}

async function publishedRows(client: SqlClient, plan: StepPlan): Promise<number> {
  if ((await relationKind(client, plan.target)) === undefined) return 0;
  return countRows(client, quoteTable(plan.target));
}

function retryPolicy(plan: StepPlan): RetryPolicy {
  const retries = plan.product.manifest.pipeline?.retries;
  return {
    attempts: retries?.attempts ?? DEFAULT_RETRY_POLICY.attempts,
    backoffMs: retries?.backoff !== undefined ? Math.round((parseDuration(retries.backoff) ?? 1) * 1000) : DEFAULT_RETRY_POLICY.backoffMs,
  };
}

function stepInputs(plan: StepPlan): StepInput[] {
  if (plan.file) return [{ kind: 'file', path: plan.file.path, format: plan.file.load.format }];
  return plan.upstream.map((u) => ({ kind: 'port', product: u.product, port: u.port, table: tableLabel(u.table) }));
}

/** An error as one line for the summary, with the SQLSTATE and PostgreSQL's detail when there are. */
function describeError(error: unknown): string {
  const state = sqlState(error);
  const detail = (error as { detail?: unknown } | null)?.detail;
  return `${errorMessage(error)}${typeof detail === 'string' && detail !== '' ? ` (${detail})` : ''}${state ? ` [SQLSTATE ${state}]` : ''}`;
}
