import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { productKey } from '../lineageKeys.js';
import { compileInputSchema } from '../util/compileInputSchema.js';
import { audit } from './auditLog.js';
import type { Principal } from './Principal.js';
import { principalLabel, principalTeam } from './Principal.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';

/** How an SLA promise stands. */
export type SlaState = 'MET' | 'AT_RISK' | 'BREACHED' | 'UNKNOWN';

/** One data test of an output port, as `mesh test` reports it. */
export interface QualityResultInput {
  readonly productId: string;
  readonly port: string;
  readonly runId?: string | null;
  /** ISO date-time of the measurement. */
  readonly measuredAt: string;
  readonly score?: number | null;
  readonly grade?: 'A' | 'B' | 'C' | 'D' | 'F' | null;
  readonly records?: number | null;
  readonly valid?: number | null;
  readonly invalid?: number | null;
  readonly dimensions?: readonly { readonly name: string; readonly score: number | null; readonly weight: number; readonly detail: string }[];
  readonly checks?: readonly { readonly name: string; readonly passed: boolean; readonly [key: string]: unknown }[];
  readonly metrics?: Readonly<Record<string, unknown>>;
}

/** SLA status of a product (or one of its ports) at a time. */
export interface SlaStatusInput {
  readonly productId: string;
  readonly port?: string | null;
  readonly measuredAt: string;
  readonly freshness: { readonly status: SlaState; readonly lagSeconds?: number | null; readonly maxSeconds?: number | null };
  readonly availability: { readonly status: SlaState; readonly percent?: number | null };
  readonly completeness: { readonly status: SlaState; readonly percent?: number | null };
  readonly detail?: Readonly<Record<string, unknown>>;
}

const nullableNumber = { type: ['number', 'null'] };
const state = { enum: ['MET', 'AT_RISK', 'BREACHED', 'UNKNOWN'] };
const percent = { type: ['number', 'null'], minimum: 0, maximum: 100 };

const checkQualityResult = compileInputSchema<QualityResultInput>('the quality result', {
  type: 'object',
  required: ['productId', 'port', 'measuredAt'],
  additionalProperties: false,
  properties: {
    productId: { type: 'string', maxLength: 200 },
    port: { type: 'string', maxLength: 200 },
    runId: { type: ['string', 'null'], format: 'uuid' },
    measuredAt: { type: 'string', format: 'date-time' },
    score: percent,
    grade: { enum: ['A', 'B', 'C', 'D', 'F', null] },
    records: { type: ['integer', 'null'], minimum: 0 },
    valid: { type: ['integer', 'null'], minimum: 0 },
    invalid: { type: ['integer', 'null'], minimum: 0 },
    dimensions: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['name', 'score', 'weight', 'detail'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, score: percent, weight: { type: 'number', minimum: 0 }, detail: { type: 'string' } },
      },
    },
    checks: { type: 'array', maxItems: 10_000, items: { type: 'object', required: ['name', 'passed'], properties: { name: { type: 'string' }, passed: { type: 'boolean' } } } },
    metrics: { type: 'object' },
  },
});

const checkSlaStatus = compileInputSchema<SlaStatusInput>('the SLA status', {
  type: 'object',
  required: ['productId', 'measuredAt', 'freshness', 'availability', 'completeness'],
  additionalProperties: false,
  properties: {
    productId: { type: 'string', maxLength: 200 },
    port: { type: ['string', 'null'], maxLength: 200 },
    measuredAt: { type: 'string', format: 'date-time' },
    freshness: {
      type: 'object',
      required: ['status'],
      additionalProperties: false,
      properties: { status: state, lagSeconds: nullableNumber, maxSeconds: nullableNumber },
    },
    availability: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: state, percent } },
    completeness: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: state, percent } },
    detail: { type: 'object' },
  },
});

/** The product (and port) must exist, and a team's token may only record results for its own products. */
async function authorize(tx: SqlClient, productId: string, port: string | null | undefined, principal: Principal): Promise<void> {
  const rows = (await tx.query<{ ownerTeam: string; hasPort: boolean }>(
    `select owner_team as "ownerTeam", ($2::text is null or exists (select 1 from ports where product_id = $1 and name = $2)) as "hasPort"
       from products where id = $1`,
    [productId, port ?? null],
  )).rows;
  const row = rows[0];
  if (!row) throw new NotFoundError(`no published product ${productId}`);
  if (!row.hasPort) throw new NotFoundError(`product ${productId} has no output port ${String(port)}`);
  const team = principalTeam(principal);
  if (team !== null && team !== row.ownerTeam) throw new ForbiddenError(`the token of team ${team} cannot record results for ${productId}, owned by ${row.ownerTeam}`);
}

export async function recordQualityResult(tx: SqlClient, value: unknown, principal: Principal): Promise<number> {
  const input = checkQualityResult(value);
  await authorize(tx, input.productId, input.port, principal);
  const rows = (await tx.query<{ id: number }>(
    `insert into quality_results (product_id, port, run_id, measured_at, score, grade, records, valid, invalid, dimensions, checks, metrics, recorded_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id`,
    [
      input.productId,
      input.port,
      input.runId ?? null,
      input.measuredAt,
      input.score ?? null,
      input.grade ?? null,
      input.records ?? null,
      input.valid ?? null,
      input.invalid ?? null,
      JSON.stringify(input.dimensions ?? []),
      JSON.stringify(input.checks ?? []),
      JSON.stringify(input.metrics ?? {}),
      principalTeam(principal) ?? principalLabel(principal),
    ],
  )).rows;
  const id = rows[0]!.id;
  await audit(tx, principal, 'quality.record', productKey(input.productId), { id, port: input.port, score: input.score ?? null, grade: input.grade ?? null });
  return id;
}

export async function recordSlaStatus(tx: SqlClient, value: unknown, principal: Principal): Promise<number> {
  const input = checkSlaStatus(value);
  await authorize(tx, input.productId, input.port, principal);
  const rows = (await tx.query<{ id: number }>(
    `insert into sla_status (product_id, port, measured_at, freshness_lag_seconds, freshness_max_seconds, freshness,
                             availability_percent, availability, completeness_percent, completeness, detail, recorded_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
    [
      input.productId,
      input.port ?? null,
      input.measuredAt,
      input.freshness.lagSeconds ?? null,
      input.freshness.maxSeconds ?? null,
      input.freshness.status,
      input.availability.percent ?? null,
      input.availability.status,
      input.completeness.percent ?? null,
      input.completeness.status,
      JSON.stringify(input.detail ?? {}),
      principalTeam(principal) ?? principalLabel(principal),
    ],
  )).rows;
  const id = rows[0]!.id;
  await audit(tx, principal, 'sla.record', productKey(input.productId), {
    id,
    port: input.port ?? null,
    freshness: input.freshness.status,
    availability: input.availability.status,
    completeness: input.completeness.status,
  });
  return id;
}
