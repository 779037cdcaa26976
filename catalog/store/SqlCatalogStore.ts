import type { IngestBatch } from '../ingest/IngestBatch.js';
import type { ContractDiffer } from '../publish/ContractDiffer.js';
import { preparePublish } from '../publish/preparePublish.js';
import { readAuditLog, type AuditQuery } from './auditLog.js';
import type { CatalogChange, CatalogCounts, CatalogStore } from './CatalogStore.js';
import { ChangeNotifier } from './ChangeNotifier.js';
import { ingestLineage } from './ingestLineage.js';
import type { Principal } from './Principal.js';
import { publishProducts } from './publishProducts.js';
import { recordQualityResult, recordSlaStatus } from './qualityResults.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { authenticateToken, createToken, listTokens, revokeToken } from './tokens.js';

export interface CatalogStoreOptions {
  /** The compatibility engine's diff, to store the changes between contract versions (see `ContractDiffer`). */
  readonly contractDiffer?: ContractDiffer | undefined;
  /** Batches of at least this many distinct events are written with `COPY` (default `DEFAULT_COPY_THRESHOLD`). */
  readonly copyThreshold?: number | undefined;
}

/** The catalog store over either adapter. */
export class SqlCatalogStore implements CatalogStore {
  private readonly listeners = new Set<(change: CatalogChange) => void>();
  private readonly notifier: ChangeNotifier;

  constructor(
    readonly sql: SqlClient,
    private readonly options: CatalogStoreOptions = {},
  ) {
    this.notifier = new ChangeNotifier(sql);
  }

  onChange(listener: (change: CatalogChange) => void): () => void {
    this.listeners.add(listener);
    void this.notifier.listen((change) => this.tell(change));
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once the store hears the other processes' writes (`true`), or `false` when it cannot (PGlite, or
   * the listening connection failed to open).
   */
  hearingOthers(): Promise<boolean> {
    return this.notifier.listen((change) => this.tell(change));
  }

  /** Tells the listeners, and the other processes, what a committed write changed; neither can fail the write. */
  private async changed(change: CatalogChange): Promise<void> {
    this.tell(change);
    await this.notifier.announce(change);
  }

  private tell(change: CatalogChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A read model's bookkeeping must not turn a committed write into an error.
      }
    }
  }

  async publish(bundle: unknown, principal: Principal) {
    const prepared = preparePublish(bundle);
    const { outcome, written } = await this.sql.transaction((tx) => publishProducts(tx, prepared, principal, this.options.contractDiffer));
    await this.changed({ kind: 'publish', ...written });
    return outcome;
  }

  async ingestLineage(batch: IngestBatch) {
    const { stored, graphChanged } = await ingestLineage(this.sql, batch, this.options.copyThreshold);
    if (graphChanged) await this.changed({ kind: 'lineage' });
    return stored;
  }

  createToken(team: string, principal: Principal, description?: string) {
    return this.sql.transaction((tx) => createToken(tx, team, principal, description));
  }

  authenticate(token: string) {
    return authenticateToken(this.sql, token);
  }

  revokeToken(id: number, principal: Principal) {
    return this.sql.transaction((tx) => revokeToken(tx, id, principal));
  }

  listTokens(team?: string) {
    return listTokens(this.sql, team);
  }

  async recordQualityResult(input: unknown, principal: Principal) {
    const id = await this.sql.transaction((tx) => recordQualityResult(tx, input, principal));
    // The input checked, so it names its product.
    await this.changed({ kind: 'quality', products: [(input as { productId: string }).productId] });
    return id;
  }

  async recordSlaStatus(input: unknown, principal: Principal) {
    const id = await this.sql.transaction((tx) => recordSlaStatus(tx, input, principal));
    // The input checked, so it names its product.
    await this.changed({ kind: 'sla', products: [(input as { productId: string }).productId] });
    return id;
  }

  auditLog(query?: AuditQuery) {
    return readAuditLog(this.sql, query);
  }

  async counts(): Promise<CatalogCounts> {
    const rows = (await this.sql.query<CatalogCounts>(
      `select (select count(*)::int from products) as products,
              (select count(*)::int from product_versions) as "productVersions",
              (select count(*)::int from contracts) as contracts,
              (select count(*)::int from contract_versions) as "contractVersions",
              (select count(*)::int from lineage_events) as events,
              (select count(*)::int from lineage_nodes) as nodes,
              (select count(*)::int from lineage_edges) as edges,
              (select count(*)::int from runs) as runs,
              (select count(*)::int from api_tokens) as tokens,
              (select count(*)::int from audit_log) as audit`,
      [],
    )).rows;
    return rows[0]!;
  }

  async close() {
    await this.notifier.close();
    await this.sql.close();
  }
}
