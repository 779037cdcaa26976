import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordShape, type RecordShape } from '../contract/recordFields.js';
import { InputError } from '../errors.js';
import type { FileLoad, PipelineStep } from '../manifest/DataProductManifest.js';
import type { Product, Repository } from '../repo/Repository.js';
import { portTable, type TableName } from '../warehouse/portTable.js';
import { quoteTable } from '../db/SqlClient.js';
import { jsonKind, portColumns, type PortColumn } from './PortColumn.js';
import { besideTable } from './relations.js';
import { findSqlRefs, replaceSqlRefs } from './sqlRefs.js';

/** How a step builds its port; the combination of `load`/`sql`, `load.cdc` and `materialized`. */
export type StepKind = 'load' | 'load-incremental' | 'cdc' | 'sql-table' | 'sql-incremental' | 'sql-view';

/** An upstream port a SQL step reads. */
export interface UpstreamPort {
  readonly product: string;
  readonly port: string;
  readonly table: TableName;
}

/** Everything a step needs, resolved from the repository before the warehouse is touched. */
export interface StepPlan {
  readonly product: Product;
  readonly step: PipelineStep;
  readonly port: string;
  readonly kind: StepKind;
  readonly contractFile: string;
  readonly shape: RecordShape;
  readonly columns: readonly PortColumn[];
  /** The port's table (or view). */
  readonly target: TableName;
  readonly staging: TableName;
  readonly deadLetters: TableName;
  /** File loads: the file, absolute and as shown. */
  readonly file?: { readonly path: string; readonly displayPath: string; readonly load: FileLoad };
  /** SQL steps: the text as written, and as run (refs replaced by tables, trailing semicolons removed). */
  readonly sql?: { readonly text: string; readonly compiled: string };
  readonly upstream: readonly UpstreamPort[];
}

/**
 * Resolves one pipeline step of a validated repository. Throws `InputError` for what `mesh validate` cannot
 * see (an unreadable SQL file) or a combination that makes no sense (a file load materialized as a view).
 */
export async function planStep(repository: Repository, product: Product, step: PipelineStep): Promise<StepPlan> {
  const output = product.manifest.outputs.find((o) => o.port === step.port);
  if (!output) throw new InputError(`${product.file}: no output port "${step.port}"`);
  const contract = repository.contracts.get(output.contract);
  if (!contract || !repository.contracts.isCompilable(output.contract)) throw new InputError(`${product.file}: the contract ${output.contract} of port "${step.port}" is not valid; run mesh validate`);
  const shape = recordShape(contract.schema, contract.uri, repository.contracts.resolver);
  const target = portTable(product.manifest, step.port);
  const kind = stepKind(product, step);
  const base = {
    product,
    step,
    port: step.port,
    kind,
    contractFile: output.contract,
    shape,
    columns: portColumns(shape),
    target,
    staging: besideTable(target, '__staging'),
    deadLetters: besideTable(target, '__dead_letters'),
  };
  if (step.load) {
    return { ...base, file: { path: join(repository.root, product.dir, step.load.file), displayPath: `${product.dir}/${step.load.file}`, load: step.load }, upstream: [] };
  }
  const text = step.query ?? (await readSql(repository, product, step.sql!));
  const upstream: UpstreamPort[] = [];
  const compiled = replaceSqlRefs(stripTrailingSemicolons(text), (ref) => {
    const producer = repository.products.get(ref.product);
    const port = ref.port ?? producer?.manifest.outputs[0]?.port;
    if (!producer || port === undefined) throw new InputError(`${product.file}: ref('${ref.product}') names no product of the repository; run mesh validate`);
    const table = portTable(producer.manifest, port);
    if (!upstream.some((u) => u.product === ref.product && u.port === port)) upstream.push({ product: ref.product, port, table });
    return quoteTable(table);
  });
  if (findSqlRefs(compiled).length > 0) throw new InputError(`${product.file}: a ref() in the SQL of port "${step.port}" was not resolved`);
  return { ...base, sql: { text, compiled }, upstream };
}

/** The kind a step declares, by its fields alone. */
export function declaredKind(step: PipelineStep): StepKind {
  const materialized = step.materialized ?? 'table';
  if (step.load?.cdc) return 'cdc';
  if (step.load) return materialized === 'incremental' ? 'load-incremental' : 'load';
  return materialized === 'view' ? 'sql-view' : materialized === 'incremental' ? 'sql-incremental' : 'sql-table';
}

/**
 * Why a step's fields do not make a buildable step, or undefined: a file (or change events) cannot be a
 * view, and an incremental step needs a watermark or a unique key (without either, every run would append
 * everything again). `mesh validate` reports these too (PIPELINE_STEP_INVALID).
 */
export function stepProblem(step: PipelineStep): { pointer: string; message: string } | undefined {
  const materialized = step.materialized;
  if (step.load?.cdc && materialized === 'view') return { pointer: 'materialized', message: 'change events are applied to a table; they cannot be materialized as a view' };
  if (step.load?.cdc && materialized === 'incremental') return { pointer: 'materialized', message: 'change events are already applied incrementally, by key; leave materialized out' };
  if (step.load && materialized === 'view') return { pointer: 'materialized', message: 'a file load cannot be materialized as a view' };
  if (materialized === 'incremental' && step.watermark === undefined && step.uniqueKey === undefined) {
    return { pointer: 'materialized', message: 'an incremental step needs a watermark, a uniqueKey or both; without them every run appends every row again' };
  }
  if (materialized !== 'incremental' && (step.watermark !== undefined || step.uniqueKey !== undefined)) {
    return { pointer: step.watermark !== undefined ? 'watermark' : 'uniqueKey', message: 'watermark and uniqueKey apply to incremental steps only (materialized: incremental)' };
  }
  return undefined;
}

function stepKind(product: Product, step: PipelineStep): StepKind {
  const problem = stepProblem(step);
  if (problem) throw new InputError(`${product.file}: pipeline step for port "${step.port}": ${problem.message}`);
  return declaredKind(step);
}

/**
 * The columns of a CDC batch: the port's, plus the operation and sequence fields when the contract does not
 * hold them (they steer the load and are not published). A sequence outside the contract is a number (a log
 * sequence number, a version); a timestamp sequence belongs in the contract, typed by its format.
 */
export function changeColumns(plan: StepPlan): PortColumn[] {
  const cdc = plan.step.load?.cdc;
  if (!cdc) return [...plan.columns];
  const columns = [...plan.columns];
  if (!columns.some((c) => c.name === cdc.operation)) columns.push({ name: cdc.operation, sqlType: 'text', json: 'string' });
  if (!columns.some((c) => c.name === cdc.sequence)) columns.push({ name: cdc.sequence, sqlType: 'numeric', json: jsonKind('numeric', 'number') });
  return columns;
}

async function readSql(repository: Repository, product: Product, file: string): Promise<string> {
  try {
    return await readFile(join(repository.root, product.dir, file), 'utf8');
  } catch (error) {
    throw new InputError(`${product.dir}/${file}: cannot read the SQL file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
}

/**
 * The SQL without the semicolons and blank space that end it, so that it can be wrapped in a subquery. A
 * trailing line comment stays harmless: the wrapper starts a new line after the SQL.
 */
export function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}
