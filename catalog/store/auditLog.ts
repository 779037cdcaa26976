import type { Principal } from './Principal.js';
import { principalLabel, principalTeam } from './Principal.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';

/** One audit log entry. */
export interface AuditEntry {
  readonly id: number;
  readonly at: Date;
  /** The acting team; `null` for direct database access. */
  readonly team: string | null;
  readonly tokenId: number | null;
  /** `token:<id>` or `direct:<name>`. */
  readonly principal: string;
  /** e.g. `product.publish`, `contract.publish`, `lineage.ingest`, `token.create`, `quality.record`. */
  readonly action: string;
  /** What was written: `product:<id>`, `contract:<path>`, a lineage node id, `team:<team>`... */
  readonly target: string;
  readonly detail: Record<string, unknown>;
}

export interface AuditQuery {
  readonly team?: string;
  readonly action?: string;
  readonly target?: string;
  /** Most entries returned, newest first (default 100, at most 10,000). */
  readonly limit?: number;
}

/** Appends one audit entry inside the caller's transaction. */
export async function audit(tx: SqlClient, principal: Principal, action: string, target: string, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.query('insert into audit_log (team, token_id, principal, action, target, detail) values ($1, $2, $3, $4, $5, $6)', [
    principalTeam(principal),
    principal.kind === 'token' ? principal.tokenId : null,
    principalLabel(principal),
    action,
    target,
    JSON.stringify(detail),
  ]);
}

export async function readAuditLog(executor: SqlClient, query: AuditQuery = {}): Promise<AuditEntry[]> {
  const limit = Math.max(1, Math.min(10_000, Math.trunc(query.limit ?? 100)));
  return (await executor.query<AuditEntry>(
    `select id, at, team, token_id as "tokenId", principal, action, target, detail
       from audit_log
      where ($1::text is null or team = $1) and ($2::text is null or action = $2) and ($3::text is null or target = $3)
      order by id desc
      limit $4`,
    [query.team ?? null, query.action ?? null, query.target ?? null, limit],
  )).rows;
}
