import type { QualityReport } from '../quality/QualityReport.js';
import type { Repository } from '../repo/Repository.js';
import type { SqlClient } from '../db/SqlClient.js';
import type { TableName } from '../warehouse/portTable.js';
import { LOAD_REJECTS } from './loadFile.js';
import type { StepPlan } from './planStep.js';
import type { CheckOutcome } from './RunSummary.js';

/** What the audit of a staged port is given. */
export interface AuditRequest {
  /** The step's transaction: the audit sees the staged data, and what it writes commits or rolls back with it. */
  readonly tx: SqlClient;
  readonly repository: Repository;
  readonly plan: StepPlan;
  /** The staged relation: a table, or for a view step a view. */
  readonly relation: TableName;
  readonly relationKind: 'table' | 'view';
  readonly runId: string;
  /** Records the load already rejected (in `LOAD_REJECTS`), to count and to dead-letter with the others. */
  readonly loadRejected: number;
}

/** What the audit found. */
export interface AuditReport {
  /** Records considered: the staged rows and the load's rejects. */
  readonly records: number;
  /** Records rejected, the load's included; removed from a staged table, kept (and visible) in a view. */
  readonly rejected: number;
  readonly checks: readonly CheckOutcome[];
  /** Where the rejected records went, when there were any. */
  readonly deadLetters?: TableName;
  /** Why the port must not be published (`auditFailure`); undefined when it may. */
  readonly failure?: string;
  /** The quality engine's full report on the staged data. */
  readonly quality?: QualityReport;
}

/** The audit step of write-audit-publish. */
export type StagingAudit = (request: AuditRequest) => Promise<AuditReport>;

/**
 * Whether a run may publish, by the rule of the design: it fails when one of the product's error-severity
 * checks fails (or cannot be measured), or when the share of rejected records exceeds what the product's
 * completeness SLA allows (any rejected record when there is no such SLA). Returns the reason, or undefined.
 *
 * What the contract implies beyond its records, the uniqueness of its keys, is measured and reported (it
 * weighs in the quality score) but does not stop a run: a bronze port may publish the duplicates its source
 * sent, and its own `unique` check, error or warn, says whether that is acceptable.
 */
export function auditFailure(records: number, rejected: number, completeness: number | undefined, checks: readonly CheckOutcome[]): string | undefined {
  const failed = checks.filter((c) => c.origin === 'manifest' && c.severity === 'error' && (c.status === 'failed' || c.status === 'error'));
  const reasons = failed.map((c) => `check ${c.name} ${c.status === 'error' ? 'could not be measured' : 'failed'}: ${c.message}`);
  if (rejected > 0) {
    const share = `${rejected} of ${records} ${records === 1 ? 'record' : 'records'} (${percent(rejected, records)}) rejected`;
    if (completeness === undefined) reasons.push(`${share}, and without a completeness SLA none may be`);
    else if ((records - rejected) * 100 < completeness * records) reasons.push(`${share}; the completeness SLA of ${completeness}% allows at most ${percent(100 - completeness, 100)}`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const value = (part / whole) * 100;
  return `${Number(value.toFixed(value < 1 ? 2 : 1))}%`;
}

/** Records of the load's rejects not yet written anywhere: how many are in `LOAD_REJECTS`. */
export async function countLoadRejects(tx: SqlClient): Promise<number> {
  const exists = (await tx.query<{ t: string | null }>(`select to_regclass('${LOAD_REJECTS}')::text as t`)).rows[0]?.t;
  if (!exists) return 0;
  return (await tx.query<{ n: number }>(`select count(*)::int as n from ${LOAD_REJECTS}`)).rows[0]!.n;
}

/** `schema.name`, unquoted, for summaries. */
export function tableLabel(table: TableName): string {
  return `${table.schema}.${table.name}`;
}

