import { assessPort } from '../quality/assessPort.js';
import { deadLetterTableFor, notRejectedSql, type DeadLetterTableTarget } from '../quality/deadLetter/DeadLetterTable.js';
import { quoteTable, type SqlClient } from '../db/SqlClient.js';
import { auditFailure, tableLabel, type AuditReport, type AuditRequest, type StagingAudit } from './auditStaging.js';
import { LOAD_REJECTS } from './loadFile.js';
import type { CheckOutcome } from './RunSummary.js';

/**
 * The audit of write-audit-publish, by the quality engine (`assessPort`, the same assessment as `mesh test`)
 * on the staged relation:
 *
 * - every record against the port's contract, and the product's quality checks;
 * - rejected records to the port's dead-letter table (`<table>__rejected`, beside the published table, rows
 *   labelled with the published table's name, so that each run replaces the previous run's), the records the
 *   load could not convert included;
 * - rejected rows removed from a staged table, so that only valid records are published (a view shows its
 *   query's rows as they are; its rejects are recorded all the same);
 * - the verdict by the design's rule (`auditFailure`): the share of rejected records (load and contract)
 *   against the completeness SLA, and the product's error-severity checks.
 */
export function createStagingAudit(): StagingAudit {
  return async (request: AuditRequest): Promise<AuditReport> => {
    const { tx, plan } = request;
    const deadLetter: DeadLetterTableTarget = { table: deadLetterTableFor(plan.target), source: tableLabel(plan.target), runId: request.runId };
    const report = await assessPort({
      repository: request.repository,
      product: plan.product.id,
      port: plan.port,
      source: { kind: 'table', client: tx, table: request.relation },
      deadLetter,
      warehouse: tx,
    });
    if (request.loadRejected > 0) await appendLoadRejects(tx, deadLetter, plan.file?.displayPath);
    if (request.relationKind === 'table' && report.invalid > 0) {
      await tx.exec(`delete from ${quoteTable(request.relation)} as s where not (${notRejectedSql(deadLetter, 's')})`);
    }
    const records = report.records + request.loadRejected;
    const rejected = report.invalid + request.loadRejected;
    // The contract check judges the contract's rejects alone; the verdict counts the load's too.
    const checks: CheckOutcome[] = report.checks
      .filter((c) => c.origin !== 'contract' || c.check !== 'contract')
      .map((c) => ({ name: c.name, origin: c.origin, status: c.status, severity: c.severity, message: c.message }));
    const failure = auditFailure(records, rejected, plan.product.manifest.sla?.completeness, checks);
    return {
      records,
      rejected,
      checks,
      deadLetters: deadLetter.table,
      quality: report,
      ...(failure !== undefined ? { failure } : {}),
    };
  };
}

/**
 * Adds the load's rejects to the dead letters the assessment just wrote (it replaced the earlier rows of the
 * same source, in this transaction): one row per record, its errors in the assessment's shape, each error's
 * `params` naming the file and the record's position in it.
 */
async function appendLoadRejects(tx: SqlClient, target: DeadLetterTableTarget, file: string | undefined): Promise<void> {
  const table = quoteTable(target.table);
  const exists = (await tx.query<{ found: boolean }>('select to_regclass($1) is not null as found', [table])).rows[0]?.found;
  // The assessment creates the table when it has letters of its own; with none, the same definition here.
  if (!exists) {
    await tx.exec(`create table ${table} (source text not null, run_id text, rejected_at timestamptz not null default now(), source_ctid tid, record jsonb, errors jsonb not null)`);
  }
  await tx.query(
    `insert into ${table} (source, run_id, record, errors)
     select $1, $2, r.data,
            (select jsonb_agg(jsonb_build_object(
                      'instancePath', case when e ? 'field' then '/' || replace(replace(e->>'field', '~', '~0'), '/', '~1') else '' end,
                      'schemaPath', '',
                      'keyword', coalesce(e->>'keyword', 'type'),
                      'params', jsonb_build_object('record', r.record) || case when $3::text is null then '{}'::jsonb else jsonb_build_object('file', $3::text) end,
                      'message', e->>'message'))
               from jsonb_array_elements(r.errors) as e)
       from ${LOAD_REJECTS} r
      order by r.record`,
    [target.source, target.runId, file ?? null],
  );
}
