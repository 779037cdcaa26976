/* Generated from product.schema.json by test/manifest/manifestTypes.test.ts (UPDATE_TYPES=1 to refresh). Do not edit. */

/**
 * A team slug: lower case, digits and dashes.
 */
export type Team = string;
/**
 * A product id `<domain>.<name>`.
 */
export type ProductId = string;
/**
 * An output port name: lower case, digits and underscores.
 */
export type PortName = string;
/**
 * A top-level field of the port's contract.
 */
export type FieldName = string;
/**
 * One quality check, chosen by `check`.
 */
export type QualityCheck =
  UniqueCheck | NotNullCheck | AcceptedValuesCheck | RowCountCheck | RangeCheck | RelationshipsCheck | SqlCheck;

/**
 * A data product manifest (`products/<domain>/<name>/product.yaml`), apiVersion mesh/v1.
 */
export interface DataProductManifest {
  /**
   * Manifest format version. Always `mesh/v1`.
   */
  apiVersion: "mesh/v1";
  /**
   * Document kind. Always `DataProduct`.
   */
  kind: "DataProduct";
  /**
   * Unique id `<domain>.<name>`; must match the folder `products/<domain>/<name>/`.
   */
  id: string;
  /**
   * Human-readable name shown in the catalog.
   */
  name: string;
  /**
   * Owning business domain (sales, marketing, finance...); must match the folder.
   */
  domain: string;
  /**
   * Semantic version of the product; moves at least as far as its contracts.
   */
  version: string;
  /**
   * Lifecycle state. `deprecated` requires `sunset`; a `retired` product may have no consumers.
   */
  status: "draft" | "active" | "deprecated" | "retired";
  /**
   * Date (YYYY-MM-DD) after which a deprecated product is retired.
   */
  sunset?: string;
  /**
   * Id of the product that replaces this one, for deprecated and retired products.
   */
  replacedBy?: string;
  /**
   * What one record means and what the product is for.
   */
  description: string;
  owner?: Owner;
  /**
   * Free-form keywords for discovery.
   *
   * @maxItems 50
   */
  tags?: string[];
  /**
   * Medallion layer: bronze = raw, silver = cleaned and validated, gold = business-ready.
   */
  layer: "bronze" | "silver" | "gold";
  /**
   * Integration pattern the pipeline follows.
   */
  pattern: "etl" | "elt" | "streaming" | "cdc" | "api" | "file";
  /**
   * Upstream data: output ports of other products, or external datasets named the OpenLineage way.
   *
   * @maxItems 200
   */
  inputs?: Input[];
  /**
   * Output ports. Each publishes one dataset under one contract.
   *
   * @minItems 1
   * @maxItems 50
   */
  outputs: [Output, ...Output[]];
  sla?: Sla;
  /**
   * Data quality checks beyond the contract itself, run by `mesh test` and by every pipeline run.
   *
   * @maxItems 500
   */
  quality?: QualityCheck[];
  scoring?: Scoring;
  /**
   * Named links (documentation, dashboard, repository...) shown in the catalog.
   */
  links?: {
    [k: string]: string | undefined;
  };
  pipeline?: Pipeline;
}
/**
 * The team accountable for the product; its token publishes the product.
 */
export interface Owner {
  team: Team;
  /**
   * Contact address of the owning team.
   */
  email: string;
  /**
   * Display name of the team.
   */
  name?: string;
  /**
   * Chat channel of the team, e.g. #sales-analytics.
   */
  slack?: string;
}
/**
 * One upstream input: either `product` + `port`, or `dataset`.
 */
export interface Input {
  product?: ProductId;
  port?: PortName;
  dataset?: Dataset;
  /**
   * Why the product reads this input.
   */
  description?: string;
  /**
   * Fields of the input that the product reads; enables field-level impact analysis.
   */
  fields?: FieldName[];
}
/**
 * A dataset named the OpenLineage way: a namespace (the data source) and a name within it.
 */
export interface Dataset {
  /**
   * Data source, e.g. postgres://crm:5432 or s3://bucket.
   */
  namespace: string;
  /**
   * Dataset name within the namespace, e.g. crm.public.orders.
   */
  name: string;
}
/**
 * One output port.
 */
export interface Output {
  port: PortName;
  /**
   * What the port publishes, if the product has several.
   */
  description?: string;
  /**
   * Repository path of the port's JSON-Schema contract, e.g. contracts/sales/orders.schema.json.
   */
  contract: string;
  /**
   * Which contract changes are allowed: backward (new readers, old data), forward (old readers, new data; the default), full, or none.
   */
  compatibility?: "backward" | "forward" | "full" | "none";
  dataset?: Dataset;
  /**
   * Port lifecycle; a deprecated port names a sunset date.
   */
  status?: "active" | "deprecated";
  /**
   * Date (YYYY-MM-DD) after which a deprecated port is removed.
   */
  sunset?: string;
  /**
   * An output port name: lower case, digits and underscores.
   */
  replacedBy?: string;
}
/**
 * Service levels the owning team promises to consumers.
 */
export interface Sla {
  /**
   * How old the newest data may be.
   */
  freshness?: {
    /**
     * Largest accepted age, as an ISO-8601 duration.
     */
    max: string;
    /**
     * A top-level field of the port's contract.
     */
    column?: string;
  };
  /**
   * Share of scheduled runs that succeed, in percent.
   */
  availability?: number;
  /**
   * Share of records valid against the contract, in percent.
   */
  completeness?: number;
  /**
   * Longest accepted run duration, as an ISO-8601 duration.
   */
  latency?: string;
}
/**
 * Values of a field (or a combination of fields) are unique.
 */
export interface UniqueCheck {
  check: "unique";
  field?: FieldName;
  /**
   * Fields that are unique together.
   *
   * @minItems 1
   */
  fields?: [FieldName, ...FieldName[]];
  /**
   * Name of the check in reports; defaults to one built from the check and its field.
   */
  name?: string;
  /**
   * Output port the check applies to; required when the product has several.
   */
  port?: string;
  /**
   * `error` fails the run or test; `warn` only lowers the score.
   */
  severity?: "error" | "warn";
  /**
   * What the check protects against.
   */
  description?: string;
}
/**
 * A field is never null.
 */
export interface NotNullCheck {
  check: "not_null";
  field: FieldName;
  /**
   * Name of the check in reports; defaults to one built from the check and its field.
   */
  name?: string;
  /**
   * Output port the check applies to; required when the product has several.
   */
  port?: string;
  /**
   * `error` fails the run or test; `warn` only lowers the score.
   */
  severity?: "error" | "warn";
  /**
   * What the check protects against.
   */
  description?: string;
}
/**
 * Every non-null value of a field is one of `values`.
 */
export interface AcceptedValuesCheck {
  check: "accepted_values";
  field: FieldName;
  /**
   * The accepted values.
   *
   * @minItems 1
   */
  values: [string | number | boolean, ...(string | number | boolean)[]];
  /**
   * Name of the check in reports; defaults to one built from the check and its field.
   */
  name?: string;
  /**
   * Output port the check applies to; required when the product has several.
   */
  port?: string;
  /**
   * `error` fails the run or test; `warn` only lowers the score.
   */
  severity?: "error" | "warn";
  /**
   * What the check protects against.
   */
  description?: string;
}
/**
 * The number of records lies within bounds.
 */
export interface RowCountCheck {
  check: "row_count";
  /**
   * Fewest records accepted.
   */
  min?: number;
  /**
   * Most records accepted.
   */
  max?: number;
  /**
   * Name of the check in reports; defaults to one built from the check and its field.
   */
  name?: string;
  /**
   * Output port the check applies to; required when the product has several.
   */
  port?: string;
  /**
   * `error` fails the run or test; `warn` only lowers the score.
   */
  severity?: "error" | "warn";
  /**
   * What the check protects against.
   */
  description?: string;
}
/**
 * Every non-null value of a numeric field lies within bounds.
 */
export interface RangeCheck {
  check: "range";
  field: FieldName;
  /**
   * Smallest accepted value (inclusive).
   */
  min?: number;
  /**
   * Largest accepted value (inclusive).
   */
  max?: number;
  /**
   * Name of the check in reports; defaults to one built from the check and its field.
   */
  name?: string;
  /**
   * Output port the check applies to; required when the product has several.
   */
  port?: string;
  /**
   * `error` fails the run or test; `warn` only lowers the score.
   */
  severity?: "error" | "warn";
  /**
   * What the check protects against.
   */
  description?: string;
}
/**
 * Every non-null value of a field exists in a field of an upstream port (referential integrity).
 */
export interface RelationshipsCheck {
  check: "relationships";
  field: FieldName;
  /**
   * The referenced port and field; the product must list the port among its inputs.
   */
  to: {
    product: ProductId;
    port: PortName;
    field: FieldName;
  };
  /**
   * Name of the check in reports; defaults to one built from the check and its field.
   */
  name?: string;
  /**
   * Output port the check applies to; required when the product has several.
   */
  port?: string;
  /**
   * `error` fails the run or test; `warn` only lowers the score.
   */
  severity?: "error" | "warn";
  /**
   * What the check protects against.
   */
  description?: string;
}
/**
 * A SQL query returning one number, compared with `mustBe`, `min` or `max`. `{table}` names the port's table.
 */
export interface SqlCheck {
  check: "sql";
  /**
   * A single SELECT returning one row with one numeric column.
   */
  query: string;
  /**
   * The exact value expected.
   */
  mustBe?: number;
  /**
   * Smallest accepted value.
   */
  min?: number;
  /**
   * Largest accepted value.
   */
  max?: number;
  /**
   * Name of the check in reports; defaults to one built from the check and its field.
   */
  name: string;
  /**
   * Output port the check applies to; required when the product has several.
   */
  port?: string;
  /**
   * `error` fails the run or test; `warn` only lowers the score.
   */
  severity?: "error" | "warn";
  /**
   * What the check protects against.
   */
  description?: string;
}
/**
 * Per-product weights of the quality score's dimensions; omitted dimensions keep the default weight.
 */
export interface Scoring {
  /**
   * Weight per dimension (validity 0.30, completeness 0.15, uniqueness 0.15, freshness 0.20, checks 0.10, documentation 0.10 by default).
   */
  weights: {
    /**
     * Weight of validity against the contract.
     */
    validity?: number;
    /**
     * Weight of non-null contract fields.
     */
    completeness?: number;
    /**
     * Weight of primary and unique keys.
     */
    uniqueness?: number;
    /**
     * Weight of freshness against the SLA.
     */
    freshness?: number;
    /**
     * Weight of the quality checks.
     */
    checks?: number;
    /**
     * Weight of documentation (descriptions, owner, SLA).
     */
    documentation?: number;
  };
}
/**
 * How `mesh run` builds the output ports: one step per port, in the warehouse.
 */
export interface Pipeline {
  /**
   * When the pipeline runs: a cron expression (5 fields) or @hourly, @daily, @weekly.
   */
  schedule?: string;
  /**
   * Retries of a step on transient errors, with exponential backoff.
   */
  retries?: {
    /**
     * Attempts in all, the first included (default 3).
     */
    attempts?: number;
    /**
     * Delay before the first retry, doubled after each (default PT1S).
     */
    backoff?: string;
  };
  /**
   * Build steps, each producing one output port.
   *
   * @minItems 1
   * @maxItems 50
   */
  steps: [PipelineStep, ...PipelineStep[]];
}
/**
 * Builds one output port, from a file (`load`) or from a SQL transform (`sql` or `query`).
 */
export interface PipelineStep {
  /**
   * An output port name: lower case, digits and underscores.
   */
  port: string;
  load?: FileLoad;
  /**
   * Path of a .sql file beside the manifest holding one SELECT; upstream ports are named with {{ ref('<product>', '<port>') }}.
   */
  sql?: string;
  /**
   * An inline SELECT, as in `sql`.
   */
  query?: string;
  /**
   * How the result is kept: a view, a table rebuilt each run, or an incremental table.
   */
  materialized?: "view" | "table" | "incremental";
  /**
   * A top-level field of the port's contract.
   */
  watermark?: string;
  /**
   * For incremental tables and merges: the key that identifies a record, so re-runs update instead of duplicating.
   *
   * @minItems 1
   */
  uniqueKey?: [FieldName, ...FieldName[]];
}
/**
 * A file load (ETL): a CSV or JSON-lines file beside the manifest, bulk-loaded into the port's table.
 */
export interface FileLoad {
  /**
   * Path of the data file, relative to the manifest's folder.
   */
  file: string;
  /**
   * File format.
   */
  format: "csv" | "jsonl";
  /**
   * CSV field delimiter (default comma).
   */
  delimiter?: string;
  /**
   * Whether the CSV's first line names the columns (default true).
   */
  header?: boolean;
  /**
   * CSV text that stands for null (default the empty string).
   */
  nullValue?: string;
  /**
   * Treat records as change events (pattern cdc) and apply them to the table by key.
   */
  cdc?: {
    /**
     * A top-level field of the port's contract.
     */
    operation: string;
    /**
     * Fields that identify a record.
     *
     * @minItems 1
     */
    key: [FieldName, ...FieldName[]];
    /**
     * A top-level field of the port's contract.
     */
    sequence: string;
  };
}
