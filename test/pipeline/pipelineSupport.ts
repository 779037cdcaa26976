import { createStagingAudit } from '../../platform/pipeline/createStagingAudit.js';
import type { PipelineObserver } from '../../platform/pipeline/PipelineObserver.js';
import { runPipelines } from '../../platform/pipeline/runPipelines.js';
import type { RunSummary, StepSummary } from '../../platform/pipeline/RunSummary.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';

/** Runs products of the repository at `root` the way `mesh run` does, on `warehouse`. */
export async function runMesh(
  root: string,
  warehouse: SqlClient,
  products: readonly string[] | 'all' = 'all',
  options: { fullRefresh?: boolean; observer?: PipelineObserver } = {},
): Promise<RunSummary> {
  const repository = await loadRepository(root);
  const errors = repository.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`fixture repository is invalid: ${errors.map((p) => `${p.file}:${p.line} ${p.code} ${p.message}`).join('; ')}`);
  return runPipelines({ repository, warehouse, products, audit: createStagingAudit(), ...options });
}

/** The summary of one port of a run. */
export function stepOf(summary: RunSummary, product: string): StepSummary {
  const step = summary.products.find((p) => p.product === product)?.steps[0];
  if (!step) throw new Error(`no step for ${product} in the run: ${JSON.stringify(summary.products.map((p) => [p.product, p.status, p.reason]))}`);
  return step;
}

/** A checksum of a relation's whole content, independent of physical row order. */
export async function checksum(client: SqlClient, relation: string): Promise<{ rows: number; md5: string }> {
  const { rows } = await client.query<{ rows: number; md5: string }>(`select count(*)::bigint as rows, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as md5 from ${relation} t`);
  return rows[0]!;
}

/** Rows of a relation ordered by its first column, timestamps as ISO strings. */
export async function rowsOf(client: SqlClient, relation: string, orderBy = '1'): Promise<Record<string, unknown>[]> {
  const { rows } = await client.query(`select * from ${relation} order by ${orderBy}`);
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
}

/** A table's CHECK, primary key and unique constraints (`name type validated`) and NOT NULL columns, sorted. */
export async function constraintsOf(client: SqlClient, table: string): Promise<{ constraints: string[]; notNull: string[] }> {
  const constraints = await client.query<{ c: string }>(
    `select conname || ' ' || contype::text || case when convalidated then ' validated' else ' not validated' end as c
       from pg_constraint where conrelid = to_regclass($1) and contype in ('c', 'p', 'u') order by 1`,
    [table],
  );
  const notNull = await client.query<{ name: string }>('select attname::text as name from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and attnotnull and not attisdropped order by 1', [table]);
  return { constraints: constraints.rows.map((r) => r.c), notNull: notNull.rows.map((r) => r.name) };
}

/** Drops everything a pipeline run creates, so that each test starts from an empty warehouse. */
export async function resetWarehouse(client: SqlClient): Promise<void> {
  await client.exec('drop schema if exists bronze, silver, gold cascade');
}
