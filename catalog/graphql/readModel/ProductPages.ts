import type { SqlClient } from '../../../platform/db/SqlClient.js';
import { PRODUCT_COLUMNS } from '../loaders.js';
import type { ContractRow, FieldRow, InputRow, PortRow, ProductRow, ProductVersionRow, QualityRow, SlaRow } from '../rows.js';

/**
 * What a product page shows besides runs and lineage, each part as the request loader that would otherwise read
 * it reads it (the same statements' rows): the product, its ports, inputs, consumers, versions, and the latest
 * quality result and SLA status of each port. Frozen: one page is handed to every request that shows it.
 */
export interface ProductPage {
  readonly product: ProductRow;
  readonly ports: readonly PortRow[];
  readonly inputs: readonly InputRow[];
  readonly consumers: readonly InputRow[];
  readonly versions: readonly ProductVersionRow[];
  readonly quality: readonly QualityRow[];
  readonly sla: readonly SlaRow[];
}

/**
 * A contract as a port shows it, with its top-level fields. Frozen, and shared by every page whose ports use it.
 * Without its JSON Schema (a document of a couple of kilobytes, a third of the model's memory had it been held),
 * which the `Contract.schema` resolver reads when a query asks for it.
 */
export interface ContractEntry {
  readonly contract: ContractRow;
  readonly fields: readonly FieldRow[];
}

/**
 * The statements a build or a refresh reads, each the request loader's own (`loaders.ts`) over all products or
 * over a list of them (`$1`; `$2` adds contracts by path). The versions statement leaves out a version's
 * manifest when it equals the product's current one (the latest version, usually): the page shares that object.
 */
function statements(filter: 'all' | 'some') {
  const where = (column: string) => (filter === 'all' ? '' : `where ${column} = any($1::text[])`);
  const portContracts = `select contract_path from ports ${where('product_id')}`;
  const contractsWhere = filter === 'all' ? '' : `where path in (${portContracts}) or path = any($2::text[])`;
  const fieldsWhere = filter === 'all' ? '' : `where contract_path in (${portContracts}) or contract_path = any($2::text[])`;
  return {
    products: `select ${PRODUCT_COLUMNS} from products ${where('id')} order by id`,
    ports: `select product_id, name, description, contract_path, compatibility, status, dataset_key
              from ports ${where('product_id')} order by product_id, position`,
    inputs: `select product_id, upstream_product, upstream_port, dataset_key, fields, description
               from product_inputs ${where('product_id')} order by product_id, position`,
    // A whole build groups the inputs' rows by upstream product instead, in the same order (`read`).
    consumers: filter === 'all' ? undefined : `select product_id, upstream_product, upstream_port, dataset_key, fields, description
                  from product_inputs where upstream_product = any($1::text[]) order by upstream_product, product_id, position`,
    versions: `select v.product_id, v.seq, v.version, case when v.manifest = p.manifest then null else v.manifest end as manifest,
                      v.contracts, v.published_at, v.published_by
                 from product_versions v join products p on p.id = v.product_id ${where('v.product_id')} order by v.product_id, v.seq desc`,
    quality: `select distinct on (product_id, port) product_id, port, measured_at, score, grade, records, valid, invalid, dimensions, checks
                from quality_results ${where('product_id')} order by product_id, port, measured_at desc, id desc`,
    sla: `select distinct on (product_id, coalesce(port, '')) product_id, port, measured_at, freshness_lag_seconds, freshness_max_seconds,
                 freshness, availability_percent, availability, completeness_percent, completeness, detail
            from sla_status ${where('product_id')} order by product_id, coalesce(port, ''), measured_at desc, id desc`,
    contracts: `select path, owner_team, version, title, description from contracts ${contractsWhere}`,
    fields: `select contract_path, name, type, nullable, required, format, description, pii, classification, primary_key, is_unique
               from contract_fields ${fieldsWhere} order by contract_path, position`,
  };
}

const ALL = statements('all');
const SOME = statements('some');

/**
 * Makes rows read-only all the way down (plain objects, arrays, dates, as the database returned them), and has
 * equal strings in them share one copy (`strings`, for one build or refresh): the rows repeat ids, paths, types,
 * states and descriptions thousands of times, each its own string as read.
 */
function freeze<T>(value: T, strings: Map<string, string>): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'string') {
      const known = strings.get(item);
      if (known === undefined) strings.set(item, item);
      else record[key] = known;
    } else freeze(item, strings);
  }
  return Object.freeze(value);
}

function groupBy<R>(rows: readonly R[], keyOf: (row: R) => string): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * Product pages served from memory (`ProductPage`), and the contracts their ports show (`ContractEntry`, by
 * path). Built whole once (nine statements in one repeatable-read transaction), then refreshed a few products
 * and contracts at a time as writes announce them (`refresh`: the same statements over a list); which pages are
 * current is `CatalogReadModel`'s bookkeeping. Pages are replaced, never changed: a request keeps the page it got.
 */
export class ProductPages {
  private readonly pages = new Map<string, ProductPage>();
  private readonly contracts = new Map<string, ContractEntry>();

  private constructor() {}

  /** Reads every product's page and every contract that a port uses. */
  static load(sql: SqlClient): Promise<ProductPages> {
    return sql.transaction(async (tx) => {
      await tx.exec('set transaction isolation level repeatable read, read only');
      const pages = new ProductPages();
      await pages.read(tx, ALL, []);
      return pages;
    });
  }

  /**
   * Reads the pages of `products` (each a product whose page may have changed; a product no longer stored loses
   * its page) and the contracts `contracts` (by path; those the pages' ports use are read too) again, in one
   * repeatable-read transaction, and replaces them once every statement has answered.
   */
  async refresh(sql: SqlClient, products: readonly string[], contracts: readonly string[]): Promise<void> {
    if (products.length === 0 && contracts.length === 0) return;
    await sql.transaction(async (tx) => {
      await tx.exec('set transaction isolation level repeatable read, read only');
      await this.read(tx, SOME, [products, contracts], products);
    });
  }

  /** A product's page; `null` when there is no such product. */
  page(id: string): ProductPage | null {
    return this.pages.get(id) ?? null;
  }

  /** A contract with its fields, by path (`undefined` if no page's port used it when it was last read). */
  contract(path: string): ContractEntry | undefined {
    return this.contracts.get(path);
  }

  /** Pages held, and contracts held. */
  get size(): { pages: number; contracts: number } {
    return { pages: this.pages.size, contracts: this.contracts.size };
  }

  private async read(tx: SqlClient, text: ReturnType<typeof statements>, params: readonly unknown[], replacing?: readonly string[]): Promise<void> {
    const pageParams = params.slice(0, 1);
    const rows = async <R>(statement: string, withParams: readonly unknown[] = pageParams) => (await tx.query<R>(statement, withParams)).rows;
    const products = await rows<ProductRow>(text.products);
    const ports = groupBy(await rows<PortRow>(text.ports), (r) => r.product_id);
    const inputRows = await rows<InputRow>(text.inputs);
    const inputs = groupBy(inputRows, (r) => r.product_id);
    // Rows in (product, position) order, grouped by upstream product: ordered as the consumers statement orders them.
    const consumers = groupBy(text.consumers === undefined ? inputRows.filter((r) => r.upstream_product !== null) : await rows<InputRow>(text.consumers), (r) => r.upstream_product!);
    const versions = groupBy(await rows<ProductVersionRow & { manifest: unknown }>(text.versions), (r) => r.product_id);
    const quality = groupBy(await rows<QualityRow>(text.quality), (r) => r.product_id);
    const sla = groupBy(await rows<SlaRow>(text.sla), (r) => r.product_id);
    const contracts = await rows<ContractRow>(text.contracts, params);
    const fields = groupBy(await rows<FieldRow>(text.fields, params), (r) => r.contract_path);

    // Every statement has answered: the new pages and contracts replace the old ones at once.
    const strings = new Map<string, string>();
    for (const id of replacing ?? []) this.pages.delete(id);
    for (const contract of contracts) {
      this.contracts.set(contract.path, freeze({ contract, fields: fields.get(contract.path) ?? NONE }, strings));
    }
    for (const product of products) {
      freeze(product, strings);
      const page: ProductPage = {
        product,
        ports: ports.get(product.id) ?? NONE,
        inputs: inputs.get(product.id) ?? NONE,
        consumers: consumers.get(product.id) ?? NONE,
        versions: (versions.get(product.id) ?? NONE).map((v) => (v.manifest === null ? { ...v, manifest: product.manifest } : v)),
        quality: quality.get(product.id) ?? NONE,
        sla: sla.get(product.id) ?? NONE,
      };
      this.pages.set(product.id, freeze(page, strings));
    }
  }
}
