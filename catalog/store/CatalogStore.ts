import type { IngestBatch } from '../ingest/IngestBatch.js';
import type { PublishOutcome } from './publishProducts.js';
import type { AuditEntry, AuditQuery } from './auditLog.js';
import type { Principal } from './Principal.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import type { CreatedToken, TokenPrincipal, TokenRecord } from './tokens.js';

/** Rows per table, for `mesh serve`'s banner, tests and benchmarks. */
export interface CatalogCounts {
  readonly products: number;
  readonly productVersions: number;
  readonly contracts: number;
  readonly contractVersions: number;
  readonly events: number;
  readonly nodes: number;
  readonly edges: number;
  readonly runs: number;
  readonly tokens: number;
  readonly audit: number;
}

/**
 * What a committed write changed, as the store announces it: a publication (products, contracts, ports, inputs,
 * declared lineage), OpenLineage events that may have changed the lineage graph (a node or edge not known to
 * be stored, a dataset's mesh facet; events that only add runs or move facets' stamps are not announced), a quality result (of those products), an SLA
 * status (of those products), or `unknown`. Read models built over the store (the GraphQL layer's) use it to know
 * what is stale. A publication names the products and contracts it wrote (not those it left unchanged) and the upstream products
 * that the written products' inputs named before or name now (their consumers changed).
 */
export type CatalogChange =
  | { readonly kind: 'publish'; readonly products: readonly string[]; readonly contracts: readonly string[]; readonly upstreams: readonly string[] }
  | { readonly kind: 'lineage' }
  | { readonly kind: 'quality'; readonly products: readonly string[] }
  | { readonly kind: 'sla'; readonly products: readonly string[] }
  /** Anything may have changed: a change too large to describe, or changes missed while not listening. */
  | { readonly kind: 'unknown' };

/**
 * The catalog's memory. One implementation over a `SqlClient`, which is where the two adapters differ
 * (PostgreSQL through `pg`, embedded PGlite); the SQL is the same. Every write is authorized here (a team's token
 * writes only its team's products) and audited in the same transaction; every method throws the project's errors.
 */
export interface CatalogStore {
  /** The database, for the read queries of the layers above (GraphQL). Every statement takes parameters. */
  readonly sql: SqlClient;
  /**
   * Checks (`preparePublish`) and stores a publication (a `PublishBundle` as received), writing only what
   * changed. `InvalidContentError` when it does not check, `ForbiddenError` for another team's product.
   */
  publish(bundle: unknown, principal: Principal): Promise<PublishOutcome>;
  /** Stores checked OpenLineage events in one atomic statement; returns the hashes stored (not duplicates). */
  ingestLineage(batch: IngestBatch): Promise<Set<string>>;
  createToken(team: string, principal: Principal, description?: string): Promise<CreatedToken>;
  /** The team of a valid, unrevoked token; `undefined` otherwise. */
  authenticate(token: string): Promise<TokenPrincipal | undefined>;
  revokeToken(id: number, principal: Principal): Promise<TokenRecord>;
  listTokens(team?: string): Promise<TokenRecord[]>;
  /** Records a data test result (`QualityResultInput`, checked); returns its id. */
  recordQualityResult(input: unknown, principal: Principal): Promise<number>;
  /** Records an SLA status (`SlaStatusInput`, checked); returns its id. */
  recordSlaStatus(input: unknown, principal: Principal): Promise<number>;
  auditLog(query?: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Calls `listener` after each write this store commits, before the write's own promise resolves (so before
   * its request answers), and, on PostgreSQL, after each write that another process's store commits to the
   * same database, as soon as its notification arrives (`ChangeNotifier`). Returns the function that stops.
   */
  onChange(listener: (change: CatalogChange) => void): () => void;
  counts(): Promise<CatalogCounts>;
  close(): Promise<void>;
}
