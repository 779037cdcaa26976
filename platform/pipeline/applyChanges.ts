import { quoteIdent, quoteLiteral, quoteTable, type SqlClient } from '../db/SqlClient.js';
import type { TableName } from '../warehouse/portTable.js';
import { LOAD_REJECTS } from './loadFile.js';
import { BATCH, keepPublishedVersions, keyJoin, REJECTED_KEYS } from './mergeBatch.js';
import type { PortColumn } from './PortColumn.js';

/** The operations a change event may carry (Debezium's letters): create, update, delete, read (snapshot). */
export const CDC_OPERATIONS = ['c', 'u', 'd', 'r'] as const;

/** The temporary table of the changes a run applies: the latest new event per key. */
const CHANGES = 'pg_temp.mesh_changes';

export interface ChangeSpec {
  /** The field holding the operation. */
  readonly operation: string;
  readonly key: readonly string[];
  /** The field ordering the changes. */
  readonly sequence: string;
  /** The port's columns (what the table holds). */
  readonly columns: readonly PortColumn[];
  /** The persistent table of the last sequence applied per key, deleted keys included. */
  readonly state: TableName;
}

export interface ChangeOutcome {
  /** Events read (valid ones; the others are in LOAD_REJECTS). */
  readonly events: number;
  /** Keys changed by this run: inserted or updated, and deleted. */
  readonly upserted: number;
  readonly deleted: number;
  /** After the audit: keys whose new version was rejected keep their published one (`keepPublishedVersions`). */
  readonly afterAudit: (tx: SqlClient, target: TableName) => Promise<void>;
  /** Writes the new per-key state, without the rejected changes; call it only when the run publishes. */
  readonly commitState: (tx: SqlClient) => Promise<void>;
}

/**
 * Applies the change events in `BATCH` to `staging` (a copy of the published table), by key and in
 * sequence order. For each key only its latest event counts (ties broken by position in the file), and only
 * when it is newer than the last one applied to that key, which `state` remembers, deletes included. So a
 * re-run of the same file changes nothing, a stale event arriving late is ignored, and a deleted row does
 * not come back from an older insert.
 *
 * Events with an unknown operation, or without a key or a sequence, are rejected into `LOAD_REJECTS`. A
 * change whose new row the audit rejects is not applied: the key keeps its published row, and the change is
 * tried again on the next run.
 */
export async function applyChanges(tx: SqlClient, staging: TableName, spec: ChangeSpec, fullRefresh: boolean): Promise<ChangeOutcome> {
  const op = quoteIdent(spec.operation);
  const seq = quoteIdent(spec.sequence);
  const keys = spec.key.map(quoteIdent);
  const state = quoteTable(spec.state);

  // Events that cannot be applied: to the rejects, with the reason, numbered after the load's own rejects.
  const unusable = [
    `case when lower(${op}) is null or lower(${op}) not in (${CDC_OPERATIONS.map((o) => quoteLiteral(o)).join(', ')}) then jsonb_build_object('field', ${quoteLiteral(spec.operation)}, 'keyword', 'cdc', 'message', 'operation ' || coalesce('"' || ${op} || '"', 'missing') || '; expected one of ${CDC_OPERATIONS.join(', ')}') end`,
    `case when ${seq} is null then jsonb_build_object('field', ${quoteLiteral(spec.sequence)}, 'keyword', 'cdc', 'message', 'sequence missing') end`,
    ...spec.key.map((k) => `case when ${quoteIdent(k)} is null then jsonb_build_object('field', ${quoteLiteral(k)}, 'keyword', 'cdc', 'message', 'key missing') end`),
  ];
  const errors = `jsonb_path_query_array(jsonb_build_array(${unusable.join(', ')}), '$[*] ? (@ != null)')`;
  await tx.exec(`create temp table pg_temp.mesh_unusable on commit drop as select b.ctid as row_id, ${errors} as errors, to_jsonb(b) as data from ${BATCH} b`);
  await tx.exec(
    `insert into ${LOAD_REJECTS} (record, data, errors) select (select coalesce(max(record), 0) from ${LOAD_REJECTS}) + row_number() over (order by row_id), data, errors from pg_temp.mesh_unusable where errors <> '[]'::jsonb`,
  );
  await tx.exec(`delete from ${BATCH} b using pg_temp.mesh_unusable u where b.ctid = u.row_id and u.errors <> '[]'::jsonb`);
  const events = (await tx.query<{ n: number }>(`select count(*)::int as n from ${BATCH}`)).rows[0]!.n;

  const keyColumns = spec.columns.filter((c) => spec.key.includes(c.name));
  const sequenceType = spec.columns.find((c) => c.name === spec.sequence)?.sqlType ?? 'numeric';
  await tx.exec(
    `create table if not exists ${state} (${keyColumns.map((c) => `${quoteIdent(c.name)} ${c.sqlType} not null`).join(', ')}, ` +
      `mesh_sequence ${sequenceType} not null, mesh_deleted boolean not null, primary key (${keys.join(', ')}))`,
  );
  // The latest event of each key; on equal sequences the later one in the file (COPY keeps the file's order).
  await tx.exec(
    `create temp table ${CHANGES} on commit drop as ` +
      `select distinct on (${keys.join(', ')}) *, lower(${op}) = 'd' as mesh_delete from ${BATCH} order by ${keys.join(', ')}, ${seq} desc, ctid desc`,
  );
  if (!fullRefresh) {
    await tx.exec(`delete from ${CHANGES} c using ${state} s where ${keyJoin(spec.key, 'c', 's')} and c.${seq} <= s.mesh_sequence`);
  }
  await tx.exec(`delete from ${quoteTable(staging)} t using ${CHANGES} c where ${keyJoin(spec.key, 't', 'c')}`);
  const list = spec.columns.map((c) => quoteIdent(c.name)).join(', ');
  const upserted = (await tx.query(`insert into ${quoteTable(staging)} (${list}) select ${list} from ${CHANGES} where not mesh_delete`)).rowCount;
  const deleted = (await tx.query<{ n: number }>(`select count(*)::int as n from ${CHANGES} where mesh_delete`)).rows[0]!.n;

  return {
    events,
    upserted,
    deleted,
    async afterAudit(auditTx, target) {
      await keepPublishedVersions(auditTx, staging, target, spec.key, CHANGES, 'not c.mesh_delete', spec.columns.map((c) => c.name), !fullRefresh);
    },
    async commitState(publishTx) {
      if (fullRefresh) await publishTx.exec(`truncate ${state}`);
      const applied = `not exists (select from ${REJECTED_KEYS} as r where ${keyJoin(spec.key, 'r', 'c')})`;
      await publishTx.exec(`delete from ${state} s using ${CHANGES} c where ${keyJoin(spec.key, 's', 'c')} and ${applied}`);
      await publishTx.exec(`insert into ${state} (${keys.join(', ')}, mesh_sequence, mesh_deleted) select ${keys.join(', ')}, ${seq}, mesh_delete from ${CHANGES} as c where ${applied}`);
    },
  };
}
