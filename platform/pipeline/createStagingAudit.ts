import { quoteTable, type SqlClient } from '../warehouse/SqlClient.js';
import type { TableName } from '../warehouse/portTable.js';
import type { AuditReport, AuditRequest, StagingAudit } from './auditStaging.js';
import { LOAD_REJECTS } from './loadFile.js';
import { countRows } from './relations.js';

/**
 * The audit of write-audit-publish: the load's rejects go to the port's dead-letter table, and the staged
 * relation is assessed against its contract and checks.
 */
export function createStagingAudit(): StagingAudit {
  return async (request: AuditRequest): Promise<AuditReport> => {
    const { tx, plan } = request;
    const staged = await countRows(tx, quoteTable(request.relation));
    if (request.loadRejected > 0) await writeLoadRejects(tx, plan.deadLetters, request.runId);
    return {
      records: staged + request.loadRejected,
      rejected: request.loadRejected,
      checks: [],
      deadLetters: plan.deadLetters,
    };
  };
}

/** The dead-letter table of a port: one row per rejected record of a run. */
export async function ensureDeadLetterTable(tx: SqlClient, table: TableName): Promise<void> {
  await tx.exec(
    `create table if not exists ${quoteTable(table)} (run_id text not null, rejected_at timestamptz not null default now(), ` +
      `stage text not null, line bigint, record jsonb, errors jsonb not null)`,
  );
}

async function writeLoadRejects(tx: SqlClient, table: TableName, runId: string): Promise<void> {
  await ensureDeadLetterTable(tx, table);
  await tx.query(`insert into ${quoteTable(table)} (run_id, stage, line, record, errors) select $1, 'load', record, data, errors from ${LOAD_REJECTS} order by record`, [runId]);
}
