import type { DataProductManifest } from '../../platform/manifest/DataProductManifest.js';

/** Rows as the GraphQL layer reads them from the catalog tables. Timestamps arrive as `Date` or text. */
export type Timestamp = Date | string;

export interface ProductRow {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly description: string;
  readonly status: string;
  readonly layer: string;
  readonly pattern: string;
  readonly version: string;
  readonly owner_team: string;
  readonly owner_email: string | null;
  readonly tags: string[];
  readonly manifest: DataProductManifest;
  readonly file: string;
  readonly created_at: Timestamp;
  readonly updated_at: Timestamp;
}

export interface PortRow {
  readonly product_id: string;
  readonly name: string;
  readonly description: string | null;
  readonly contract_path: string;
  readonly compatibility: string;
  readonly status: string;
  readonly dataset_key: string | null;
}

export interface InputRow {
  readonly product_id: string;
  readonly upstream_product: string | null;
  readonly upstream_port: string | null;
  readonly dataset_key: string | null;
  readonly fields: string[] | null;
  readonly description: string | null;
}

export interface ContractRow {
  readonly path: string;
  readonly owner_team: string;
  readonly version: string | null;
  readonly title: string | null;
  readonly description: string | null;
  /** Absent in the product pages' model (`ProductPages`): `Contract.schema` reads it then. */
  readonly schema?: unknown;
}

export interface FieldRow {
  readonly contract_path: string;
  readonly name: string;
  readonly type: string | null;
  readonly nullable: boolean;
  readonly required: boolean;
  readonly format: string | null;
  readonly description: string | null;
  readonly pii: boolean;
  readonly classification: string | null;
  readonly primary_key: boolean;
  readonly is_unique: boolean;
}

export interface ContractVersionRow {
  readonly contract_path: string;
  readonly seq: number;
  readonly version: string | null;
  readonly changes: unknown;
  readonly published_at: Timestamp;
  readonly published_by: string | null;
}

export interface ProductVersionRow {
  readonly product_id: string;
  readonly seq: number;
  readonly version: string;
  readonly manifest: unknown;
  readonly contracts: Record<string, { path: string; version: string | null; seq?: number }>;
  readonly published_at: Timestamp;
  readonly published_by: string | null;
}

export interface QualityRow {
  readonly product_id: string;
  readonly port: string;
  readonly measured_at: Timestamp;
  readonly score: number | null;
  readonly grade: string | null;
  readonly records: number | null;
  readonly valid: number | null;
  readonly invalid: number | null;
  readonly dimensions: { name: string; score: number | null; weight: number; detail: string }[];
  readonly checks: unknown;
}

export interface SlaRow {
  readonly product_id: string;
  readonly port: string | null;
  readonly measured_at: Timestamp;
  readonly freshness_lag_seconds: number | null;
  readonly freshness_max_seconds: number | null;
  readonly freshness: SlaStateName;
  readonly availability_percent: number | null;
  readonly availability: SlaStateName;
  readonly completeness_percent: number | null;
  readonly completeness: SlaStateName;
  readonly detail: unknown;
}

export type SlaStateName = 'MET' | 'AT_RISK' | 'BREACHED' | 'UNKNOWN';

export interface RunRowRead {
  readonly product_id: string;
  readonly run_id: string;
  readonly job_key: string;
  readonly state: string;
  readonly started_at: Timestamp | null;
  readonly ended_at: Timestamp | null;
  readonly last_event_at: Timestamp;
  readonly error_message: string | null;
  readonly facets: unknown;
}

export interface NodeRowRead {
  readonly key: string;
  readonly kind: 'product' | 'dataset' | 'job' | 'field';
  readonly namespace: string | null;
  readonly name: string;
  readonly field: string | null;
  readonly product_id: string | null;
  readonly port: string | null;
  readonly facets: unknown;
}

/** ISO text of a timestamp as either adapter returns it. */
export function iso(value: Timestamp): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
