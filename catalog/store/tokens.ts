import { createHash, randomBytes } from 'node:crypto';
import { InputError, NotFoundError } from '../../platform/errors.js';
import type { Principal } from './Principal.js';
import { audit } from './auditLog.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';

/** Every token starts with this, so that secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'mesh_';
/** 32 random bytes, base64url: 43 characters after the prefix. */
const TOKEN_PATTERN = /^mesh_[A-Za-z0-9_-]{43}$/;
/** How many characters of a token the catalog keeps in clear, to tell tokens apart in listings. */
const SHOWN = TOKEN_PREFIX.length + 6;
const TEAM_PATTERN = /^[a-z][a-z0-9-]*$/;

/** A stored token, without its secret. */
export interface TokenRecord {
  readonly id: number;
  readonly team: string;
  /** The first characters of the token, e.g. `mesh_Ab3xY9`. */
  readonly prefix: string;
  readonly description: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** A token just made: `token` is shown once and never stored. */
export interface CreatedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** The principal a token authenticates. */
export type TokenPrincipal = Extract<Principal, { kind: 'token' }>;

const COLUMNS = 'id, team, prefix, description, created_at as "createdAt", revoked_at as "revokedAt"';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function checkTeam(team: string): void {
  if (!TEAM_PATTERN.test(team) || team.length > 63) {
    throw new InputError(`team ${JSON.stringify(team)} is not a team slug (lower case letters, digits and dashes, starting with a letter)`);
  }
}

export async function createToken(tx: SqlClient, team: string, principal: Principal, description?: string): Promise<CreatedToken> {
  checkTeam(team);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const rows = (await tx.query<TokenRecord>(
    `insert into api_tokens (team, token_hash, prefix, description) values ($1, decode($2, 'hex'), $3, $4) returning ${COLUMNS}`,
    [team, hashToken(token), token.slice(0, SHOWN), description ?? null],
  )).rows;
  const record = rows[0]!;
  await audit(tx, principal, 'token.create', `team:${team}`, { token: record.id, prefix: record.prefix });
  return { token, record };
}

/** The principal of a valid, unrevoked token; `undefined` for anything else (the caller answers 401). */
export async function authenticateToken(executor: SqlClient, token: string): Promise<TokenPrincipal | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const rows = (await executor.query<{ id: number; team: string }>(
    `select id, team from api_tokens where token_hash = decode($1, 'hex') and revoked_at is null`,
    [hashToken(token)],
    { name: 'mesh_authenticate_token' },
  )).rows;
  const row = rows[0];
  return row ? { kind: 'token', team: row.team, tokenId: row.id } : undefined;
}

export async function revokeToken(tx: SqlClient, id: number, principal: Principal): Promise<TokenRecord> {
  const rows = (await tx.query<TokenRecord>(
    `update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${COLUMNS}`,
    [id],
  )).rows;
  const record = rows[0];
  if (!record) throw new NotFoundError(`no token with id ${id}`);
  await audit(tx, principal, 'token.revoke', `team:${record.team}`, { token: id });
  return record;
}

export async function listTokens(executor: SqlClient, team?: string): Promise<TokenRecord[]> {
  return (await executor.query<TokenRecord>(`select ${COLUMNS} from api_tokens where ($1::text is null or team = $1) order by id`, [team ?? null])).rows;
}
