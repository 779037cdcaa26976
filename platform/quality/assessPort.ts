import { InputError, NotFoundError } from '../errors.js';
import type { QualityCheck } from '../manifest/DataProductManifest.js';
import type { Repository } from '../repo/Repository.js';
import { portTable, type TableName } from '../warehouse/portTable.js';
import type { SqlClient } from '../db/SqlClient.js';
import { checkKind, checkName } from './checks/index.js';
import type { CheckContext } from './checks/CheckKind.js';
import { measureKey, type Measure, type Observation } from './checks/Measure.js';
import { analyzeContract } from './contract/analyzeContract.js';
import { deadLetterFileFor } from './deadLetter/DeadLetterFile.js';
import { DeadLetterTable, deadLetterTableFor } from './deadLetter/DeadLetterTable.js';
import { measureFile, PARALLEL_FROM_BYTES, type FileSource } from './file/measureFile.js';
import type { MeasurePlan, Measurements } from './Measurements.js';
import type { QualityProgress } from './QualityProgress.js';
import type { CheckResult, FieldMetrics, KeyMetrics, QualityReport } from './QualityReport.js';
import type { RunRecord } from './score/RunRecord.js';
import { scoreQuality } from './score/scoreQuality.js';
import { slaStatus } from './score/slaStatus.js';
import { measureTable, type PortTableResolver, type TableSource } from './table/measureTable.js';

/** Where the data of the port is read from. */
export type QualitySource = TableSource | FileSource;

/** Where rejected records go: beside the source by default, a place of the caller's choosing, or nowhere. */
export type DeadLetterOption =
  | false
  | { readonly path: string }
  | { readonly table?: TableName; readonly source?: string; readonly runId?: string | null };

export interface AssessPortInput {
  readonly repository: Pick<Repository, 'products' | 'contracts'>;
  readonly product: string;
  readonly port: string;
  readonly source: QualitySource;
  /**
   * Dead letters. Files: `<input>.rejected.jsonl` (or `{ path }`). Tables: `<schema>.<table>__rejected`,
   * rows labelled with the tested table (or `{ table, source, runId }`; a pipeline testing its staging table
   * passes the published table's dead-letter table and its run id).
   */
  readonly deadLetter?: DeadLetterOption;
  /** The warehouse, for `relationships` checks of a file against an upstream port's table. */
  readonly warehouse?: SqlClient;
  /** Past runs of the product, for the availability SLA and, without a freshness column, freshness. */
  readonly runs?: readonly RunRecord[];
  /** The time to judge freshness at (default: now). */
  readonly now?: Date;
  /** Threads that may read a large JSON-lines file (default 1: the calling thread only). */
  readonly threads?: number;
  /** Smallest file read by several threads (default `PARALLEL_FROM_BYTES`, 32 MiB). */
  readonly parallelFromBytes?: number;
  readonly onProgress?: (progress: QualityProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Assesses one output port's data against its contract, its product's quality checks and its SLA, from a
 * warehouse table (pushing what it can down to SQL) or a CSV or JSON-lines file (streamed). Rejected records
 * become dead letters. The same entry point serves `mesh test` and a pipeline's audit of its staging table.
 *
 * Throws `NotFoundError` for an unknown product, port or table, `InputError` for a contract that does not
 * compile or an unreadable file; everything about the data itself is in the report.
 */
export async function assessPort(input: AssessPortInput): Promise<QualityReport> {
  const started = Date.now();
  const measuredAt = (input.now ?? new Date()).toISOString();
  const { repository, port } = input;
  const { manifest, contract, analysis } = portContract(repository, input.product, port);
  const shape = analysis.shape;
  const resolvePort = portResolver(repository);
  const context: CheckContext = { portTable: (p, q) => resolvePort(p, q) };

  // The contract's keys, then the manifest's checks of this port; each asks for one measure.
  const keySpecs: { fields: string[]; origin: KeyMetrics['origin']; name: string }[] = [];
  if (shape.primaryKey.length > 0) keySpecs.push({ fields: [...shape.primaryKey], origin: 'primary_key', name: 'primary_key' });
  for (const field of shape.fields) {
    if (field.unique && !(shape.primaryKey.length === 1 && shape.primaryKey[0] === field.name)) keySpecs.push({ fields: [field.name], origin: 'unique', name: `unique_${field.name}` });
  }
  const checks = (manifest.quality ?? []).filter((c) => c.port === port || (c.port === undefined && manifest.outputs.length === 1));
  const planned = checks.map((check) => ({ check, measure: checkKind(check).measure(check, context) }));
  const measures = new Map<string, Measure>();
  for (const spec of keySpecs) measures.set(measureKey({ kind: 'duplicates', fields: spec.fields }), { kind: 'duplicates', fields: spec.fields });
  for (const { measure } of planned) if (!('error' in measure)) measures.set(measureKey(measure), measure);

  const plan: MeasurePlan = {
    contracts: repository.contracts,
    analysis,
    measures: [...measures.values()],
    freshnessColumn: manifest.sla?.freshness?.column,
    onProgress: input.onProgress,
    signal: input.signal,
  };
  const measured = await measure(input, plan, resolvePort);

  // Checks: the contract's own first, then the manifest's.
  const completenessTarget = manifest.sla?.completeness;
  const validShare = measured.records === 0 ? 100 : (100 * (measured.records - measured.invalid)) / measured.records;
  const contractPassed = measured.invalid === 0 || (completenessTarget !== undefined && validShare >= completenessTarget);
  const results: CheckResult[] = [
    {
      name: 'contract',
      check: 'contract',
      origin: 'contract',
      severity: 'error',
      status: contractPassed ? 'passed' : 'failed',
      passed: contractPassed,
      observed: measured.invalid,
      expected: completenessTarget === undefined ? '0 invalid records' : `at least ${completenessTarget}% valid records (the completeness SLA)`,
      message: `${measured.invalid} of ${measured.records} records invalid against ${contract.file}`,
    },
  ];
  for (const spec of keySpecs) {
    const observation = measured.observations.get(measureKey({ kind: 'duplicates', fields: spec.fields }));
    results.push(judged(spec.name, 'unique', 'contract', 'error', spec.fields, observation, (n) => ({ passed: n === 0, expected: '0 duplicates' }), 'duplicates'));
  }
  for (const { check, measure: m } of planned) {
    const kind = checkKind(check);
    const observation: Observation | undefined = 'error' in m ? m : measured.observations.get(measureKey(m));
    results.push(judged(checkName(check), check.check, 'manifest', check.severity ?? 'error', kind.fields(check), observation, (n) => kind.judge(check, n), unitOf(check)));
  }

  const keys = keyMetrics(keySpecs, checks, measured);
  const fields: FieldMetrics[] = measured.fields.map((f) => {
    const key = keys.find((k) => k.fields.length === 1 && k.fields[0] === f.name);
    return key ? { ...f, distinct: key.distinct } : f;
  });
  const valid = measured.records - measured.invalid;
  const sla = slaStatus({
    sla: manifest.sla,
    now: input.now ?? new Date(),
    newest: measured.newest,
    ...(measured.newestUnknown !== undefined ? { newestUnknown: measured.newestUnknown } : {}),
    records: measured.records,
    valid,
    runs: input.runs,
  });
  const score = scoreQuality({
    manifest,
    weights: manifest.scoring?.weights,
    shape,
    contractDescription: typeof (contract.schema as { description?: unknown }).description === 'string' ? (contract.schema as { description: string }).description : undefined,
    records: measured.records,
    valid,
    fields,
    keys,
    sla,
    checks: results.filter((r) => r.origin === 'manifest'),
  });

  const failures = [
    ...results.filter((r) => r.severity === 'error' && (r.status === 'failed' || r.status === 'error')).map((r) => `check ${r.name} ${r.status}: ${r.message}`),
    ...(['freshness', 'completeness', 'availability'] as const).filter((k) => sla[k].status === 'BREACHED').map((k) => `${k} SLA breached: ${sla[k].detail}`),
  ];
  return {
    product: manifest.id,
    port,
    contract: { file: contract.file, version: contract.version ?? null },
    source: measured.source,
    measuredAt,
    records: measured.records,
    valid,
    invalid: measured.invalid,
    fields,
    keys,
    score,
    sla,
    checks: results,
    deadLetter: measured.deadLetter,
    method: { ...measured.method, durationMs: Date.now() - started },
    passed: failures.length === 0,
    failures,
  };
}

async function measure(input: AssessPortInput, plan: MeasurePlan, resolvePort: PortTableResolver): Promise<Measurements> {
  const { source, deadLetter } = input;
  if (source.kind === 'file') {
    if (deadLetter !== undefined && deadLetter !== false && !('path' in deadLetter)) throw new InputError('a file source takes a dead-letter path, not a table');
    const path = deadLetter === false ? undefined : deadLetter ? deadLetter.path : deadLetterFileFor(source.path);
    return measureFile(plan, source, path, input.warehouse, { threads: input.threads ?? 1, parallelFromBytes: input.parallelFromBytes ?? PARALLEL_FROM_BYTES });
  }
  if (deadLetter !== undefined && deadLetter !== false && 'path' in deadLetter) throw new InputError('a table source takes a dead-letter table, not a path');
  const options = deadLetter === false ? undefined : (deadLetter ?? {});
  const letters = options
    ? new DeadLetterTable({
        table: options.table ?? deadLetterTableFor(source.table),
        source: options.source ?? `${source.table.schema}.${source.table.name}`,
        runId: options.runId ?? null,
      })
    : undefined;
  try {
    return await measureTable(plan, source, letters, resolvePort);
  } finally {
    letters?.dispose();
  }
}

/**
 * A port's manifest, contract and contract analysis. Throws `NotFoundError` for an unknown product or port,
 * `InputError` for a contract that does not compile.
 */
export function portContract(repository: AssessPortInput['repository'], productId: string, port: string) {
  const product = repository.products.get(productId);
  if (!product) throw new NotFoundError(`no valid product ${productId} in the repository`);
  const { manifest } = product;
  const output = manifest.outputs.find((o) => o.port === port);
  if (!output) throw new NotFoundError(`product ${manifest.id} has no output port ${port} (ports: ${manifest.outputs.map((o) => o.port).join(', ')})`);
  const contract = repository.contracts.get(output.contract);
  if (!contract || !repository.contracts.isCompilable(output.contract)) throw new InputError(`the contract ${output.contract} of ${manifest.id}.${port} is missing or not valid; run mesh validate`);
  return { manifest, contract, analysis: analyzeContract(repository.contracts, contract) };
}

/** The warehouse table of any product's port, for `relationships` and `{{ ref() }}` in `sql` checks. */
function portResolver(repository: AssessPortInput['repository']): PortTableResolver {
  return (productId, port) => {
    const product = repository.products.get(productId);
    if (!product) return { error: `no product ${productId}` };
    const chosen = port ?? (product.manifest.outputs.length === 1 ? product.manifest.outputs[0]!.port : undefined);
    if (chosen === undefined) return { error: `${productId} has several ports; name one` };
    if (!product.manifest.outputs.some((o) => o.port === chosen)) return { error: `${productId} has no port ${chosen}` };
    return portTable(product.manifest, chosen);
  };
}

function judged(
  name: string,
  check: CheckResult['check'],
  origin: CheckResult['origin'],
  severity: CheckResult['severity'],
  fields: readonly string[],
  observation: Observation | undefined,
  judge: (observed: number) => { passed: boolean; expected: string },
  unit: string,
): CheckResult {
  const base = { name, check, origin, severity, ...(fields.length > 0 ? { fields } : {}) };
  if (!observation) return { ...base, status: 'error', passed: false, observed: null, expected: '', message: 'not measured' };
  if ('skipped' in observation) return { ...base, status: 'skipped', passed: false, observed: null, expected: '', message: observation.skipped };
  if ('error' in observation) return { ...base, status: 'error', passed: false, observed: null, expected: '', message: observation.error };
  const verdict = judge(observation.value);
  return {
    ...base,
    status: verdict.passed ? 'passed' : 'failed',
    passed: verdict.passed,
    observed: observation.value,
    expected: verdict.expected,
    message: `${observation.value} ${unit}; expected ${verdict.expected}`,
    ...(observation.examples && observation.examples.length > 0 ? { examples: observation.examples } : {}),
  };
}

function unitOf(check: QualityCheck): string {
  switch (check.check) {
    case 'unique':
      return 'duplicates';
    case 'not_null':
      return 'nulls';
    case 'accepted_values':
      return 'values not accepted';
    case 'range':
      return 'values out of range';
    case 'row_count':
      return 'records';
    case 'relationships':
      return 'values missing upstream';
    case 'sql':
      return 'returned';
  }
}

function keyMetrics(specs: readonly { fields: string[]; origin: KeyMetrics['origin'] }[], checks: readonly QualityCheck[], measured: Measurements): KeyMetrics[] {
  const all = [...specs, ...checks.filter((c) => c.check === 'unique').map((c) => ({ fields: checkKind(c).fields(c) as string[], origin: 'check' as const }))];
  const seen = new Set<string>();
  const out: KeyMetrics[] = [];
  for (const spec of all) {
    const key = measureKey({ kind: 'duplicates', fields: spec.fields });
    if (seen.has(key)) continue;
    seen.add(key);
    const observation = measured.observations.get(key);
    if (!observation || !('value' in observation) || !observation.keys) continue;
    out.push({
      fields: spec.fields,
      origin: spec.origin,
      count: observation.keys.count,
      distinct: observation.keys.distinct,
      duplicates: observation.value,
      examples: observation.examples ?? [],
      enforced: observation.keys.enforced,
    });
  }
  return out;
}
