import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableName } from '../../warehouse/portTable.js';
import { quoteTable, type SqlClient } from '../../db/SqlClient.js';
import type { DeadLetter } from '../QualityReport.js';
import { literal } from '../table/fieldPredicate.js';

/** Dead letters held in memory before the rest spill to a temporary file. */
const IN_MEMORY = 10_000;
/** Rows per INSERT. */
const BATCH = 500;

/** Where the dead letters of a table go, and under which source label. */
export interface DeadLetterTableTarget {
  /** Default: `<schema>.<table>__rejected` beside the tested table. */
  readonly table: TableName;
  /** Rows of one source replace that source's earlier rows; default: the tested table's name. */
  readonly source: string;
  /** Stored with each row, e.g. the pipeline run's id. */
  readonly runId: string | null;
}

/** The dead-letter table beside `table`: `<table>__rejected` in the same schema (the name cut to fit 63 bytes). */
export function deadLetterTableFor(table: TableName): TableName {
  const suffix = '__rejected';
  let base = table.name;
  while (Buffer.byteLength(base + suffix) > 63) base = base.slice(0, -1);
  return { schema: table.schema, name: base + suffix };
}

/**
 * SQL that is true for the rows of `alias` (the tested table) that are not among the dead letters of
 * `target`: what a pipeline appends to its publish query to leave rejected rows out. Rows are named by
 * `ctid`, so the tested table must not change between the assessment and the publish (one transaction).
 */
export function notRejectedSql(target: Pick<DeadLetterTableTarget, 'table' | 'source'>, alias: string): string {
  return `not exists (select 1 from ${quoteTable(target.table)} mesh_rejected where mesh_rejected.source = ${literal(target.source)} and mesh_rejected.source_ctid = ${alias}.ctid)`;
}

/**
 * Collects the dead letters of a table while it streams (no query can run on its connection then) and
 * writes them afterwards, in one transaction that first removes the rows an earlier assessment of the same
 * source left. Table: `source text, run_id text, rejected_at timestamptz, source_ctid tid, record jsonb,
 * errors jsonb`. Memory stays bounded: past `IN_MEMORY` letters, they spill to a temporary file.
 */
export class DeadLetterTable {
  private held: string[] = [];
  private spillDir: string | undefined;
  private spillFd: number | undefined;
  private written = 0;

  constructor(readonly target: DeadLetterTableTarget) {}

  get count(): number {
    return this.written;
  }

  add(letter: DeadLetter): void {
    this.held.push(JSON.stringify([letter.ctid ?? null, letter.record === undefined ? null : JSON.stringify(letter.record), JSON.stringify(letter.errors)]));
    this.written++;
    if (this.held.length >= IN_MEMORY) this.spill();
  }

  /** Replaces the source's rows in the table with the letters collected; creates the table when there are letters. */
  async write(client: SqlClient): Promise<void> {
    try {
      const table = quoteTable(this.target.table);
      const exists = await client.query<{ found: boolean }>('select to_regclass($1) is not null as found', [table]);
      if (this.written === 0 && !exists.rows[0]?.found) return;
      await client.transaction(async (tx) => {
        await tx.exec(
          `create table if not exists ${table} (source text not null, run_id text, rejected_at timestamptz not null default now(), source_ctid tid, record jsonb, errors jsonb not null)`,
        );
        await tx.query(`delete from ${table} where source = $1`, [this.target.source]);
        let batch: [string | null, string | null, string][] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          await tx.query(
            `insert into ${table} (source, run_id, source_ctid, record, errors)
             select $1, $2, c::tid, r::jsonb, e::jsonb from unnest($3::text[], $4::text[], $5::text[]) as u(c, r, e)`,
            [this.target.source, this.target.runId, batch.map((b) => b[0]), batch.map((b) => b[1]), batch.map((b) => b[2])],
          );
          batch = [];
        };
        for await (const line of this.lines()) {
          batch.push(JSON.parse(line) as [string | null, string | null, string]);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
      });
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    if (this.spillFd !== undefined) closeSync(this.spillFd);
    this.spillFd = undefined;
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = undefined;
  }

  private spill(): void {
    if (this.spillFd === undefined) {
      this.spillDir = mkdtempSync(join(tmpdir(), 'mesh-rejected-'));
      this.spillFd = openSync(join(this.spillDir, 'letters.jsonl'), 'w');
    }
    writeSync(this.spillFd, this.held.join('\n') + '\n');
    this.held = [];
  }

  private async *lines(): AsyncIterable<string> {
    if (this.spillFd !== undefined) {
      closeSync(this.spillFd);
      this.spillFd = undefined;
      yield* createInterface({ input: createReadStream(join(this.spillDir!, 'letters.jsonl')), crlfDelay: Infinity });
    }
    yield* this.held;
  }
}
