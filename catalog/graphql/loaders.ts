import DataLoader from 'dataloader';
import { createHash } from 'node:crypto';
import type { QueryOptions, SqlClient } from '../../platform/db/SqlClient.js';
import type { ServedPage } from './readModel/CatalogReadModel.js';
import type {
  ContractRow,
  ContractVersionRow,
  FieldRow,
  InputRow,
  NodeRowRead,
  PortRow,
  ProductRow,
  ProductVersionRow,
  QualityRow,
  RunRowRead,
  SlaRow,
} from './rows.js';

/** The columns of a `ProductRow`. */
export const PRODUCT_COLUMNS = `id, name, domain, description, status, layer, pattern, version, owner_team, owner_email, tags, manifest, file, created_at, updated_at`;
const NODE_SELECT = `select n.key, n.kind, n.namespace, n.name, n.field, coalesce(n.product_id, p.product_id, n.facets #>> '{mesh_dataProduct,product}') as product_id, coalesce(n.port, p.name, n.facets #>> '{mesh_dataProduct,port}') as port, n.facets
         from lineage_nodes n left join ports p on p.dataset_key = n.key`;

/** What `Loaders.detail` reads of one product: each part as its loader's rows (timestamps as text). */
interface DetailRow {
  readonly product: ProductRow;
  readonly ports: PortRow[];
  readonly inputs: InputRow[];
  readonly consumers: InputRow[];
  readonly versions: ProductVersionRow[];
  readonly quality: QualityRow[];
  readonly sla: SlaRow[];
  readonly contracts: ContractRow[];
  readonly fields: FieldRow[];
}

/** Each part in the order of the loader it primes. */
const DETAIL_STATEMENT = `
select to_jsonb(pr) as product,
  (select coalesce(jsonb_agg(to_jsonb(x) order by x.position), '[]') from (select product_id, name, description, contract_path, compatibility, status, dataset_key, position
     from ports where product_id = pr.id) x) as ports,
  (select coalesce(jsonb_agg(to_jsonb(x) order by x.position), '[]') from (select product_id, upstream_product, upstream_port, dataset_key, fields, description, position
     from product_inputs where product_id = pr.id) x) as inputs,
  (select coalesce(jsonb_agg(to_jsonb(x) order by x.product_id, x.position), '[]') from (select product_id, upstream_product, upstream_port, dataset_key, fields, description, position
     from product_inputs where upstream_product = pr.id) x) as consumers,
  (select coalesce(jsonb_agg(to_jsonb(x) order by x.seq desc), '[]') from (select product_id, seq, version, manifest, contracts, published_at, published_by
     from product_versions where product_id = pr.id) x) as versions,
  (select coalesce(jsonb_agg(to_jsonb(x) order by x.port), '[]') from (select distinct on (port) product_id, port, measured_at, score, grade, records, valid, invalid, dimensions, checks
     from quality_results where product_id = pr.id order by port, measured_at desc, id desc) x) as quality,
  (select coalesce(jsonb_agg(to_jsonb(x) order by coalesce(x.port, '')), '[]') from (select distinct on (coalesce(port, '')) product_id, port, measured_at, freshness_lag_seconds,
     freshness_max_seconds, freshness, availability_percent, availability, completeness_percent, completeness, detail
     from sla_status where product_id = pr.id order by coalesce(port, ''), measured_at desc, id desc) x) as sla,
  (select coalesce(jsonb_agg(to_jsonb(x)), '[]') from (select path, owner_team, version, title, description, schema
     from contracts where path in (select contract_path from ports where product_id = pr.id)) x) as contracts,
  (select coalesce(jsonb_agg(to_jsonb(x) order by x.contract_path, x.position), '[]') from (select contract_path, name, type, nullable, required, format, description, pii,
     classification, primary_key, is_unique, position from contract_fields where contract_path in (select contract_path from ports where product_id = pr.id)) x) as fields
from (select ${PRODUCT_COLUMNS} from products where id = any($1::text[])) pr`;

/**
 * Per-request batching: every field that needs rows asks a loader, and each loader turns the keys one tick of
 * resolution asks for into one statement (`= any($1)`), so a page of 100 products costs as many statements as a
 * page of 2. Loaders live for one request only: no cache outlives it, so every request sees committed data.
 */
export class Loaders {
  readonly product: DataLoader<string, ProductRow | undefined>;
  readonly ports: DataLoader<string, PortRow[]>;
  readonly inputs: DataLoader<string, InputRow[]>;
  readonly consumers: DataLoader<string, InputRow[]>;
  readonly contract: DataLoader<string, ContractRow | undefined>;
  /** A contract's JSON Schema, for a contract row without it (from the product pages' model). */
  readonly contractSchema: DataLoader<string, { path: string; schema: unknown } | undefined>;
  readonly contractFields: DataLoader<string, FieldRow[]>;
  readonly contractVersions: DataLoader<string, ContractVersionRow[]>;
  readonly productVersions: DataLoader<string, ProductVersionRow[]>;
  readonly latestQuality: DataLoader<string, QualityRow[]>;
  readonly latestSla: DataLoader<string, SlaRow[]>;
  readonly productsByTeam: DataLoader<string, ProductRow[]>;
  readonly productsByDomain: DataLoader<string, ProductRow[]>;
  readonly node: DataLoader<string, NodeRowRead | undefined>;
  /** A product with what its page shows, in one statement, priming the loaders above (see `detail`). */
  readonly productDetail: DataLoader<string, ProductRow | undefined>;
  private readonly withParams = new Map<string, DataLoader<string, unknown[]>>();

  constructor(private readonly sql: SqlClient) {
    const products = (rows: ProductRow[]) => {
      for (const row of rows) this.product.prime(row.id, row);
      return rows;
    };
    this.product = this.single<ProductRow>(`select ${PRODUCT_COLUMNS} from products where id = any($1::text[])`, (r) => r.id);
    this.ports = this.grouped<PortRow>(
      `select product_id, name, description, contract_path, compatibility, status, dataset_key
         from ports where product_id = any($1::text[]) order by product_id, position`,
      (r) => r.product_id,
    );
    this.inputs = this.grouped<InputRow>(
      `select product_id, upstream_product, upstream_port, dataset_key, fields, description
         from product_inputs where product_id = any($1::text[]) order by product_id, position`,
      (r) => r.product_id,
    );
    this.consumers = this.grouped<InputRow>(
      `select product_id, upstream_product, upstream_port, dataset_key, fields, description
         from product_inputs where upstream_product = any($1::text[]) order by upstream_product, product_id, position`,
      (r) => r.upstream_product!,
    );
    this.contract = this.single<ContractRow>(
      'select path, owner_team, version, title, description, schema from contracts where path = any($1::text[])',
      (r) => r.path,
    );
    this.contractSchema = this.single<{ path: string; schema: unknown }>('select path, schema from contracts where path = any($1::text[])', (r) => r.path);
    this.contractFields = this.grouped<FieldRow>(
      `select contract_path, name, type, nullable, required, format, description, pii, classification, primary_key, is_unique
         from contract_fields where contract_path = any($1::text[]) order by contract_path, position`,
      (r) => r.contract_path,
    );
    this.contractVersions = this.grouped<ContractVersionRow>(
      `select contract_path, seq, version, changes, published_at, published_by
         from contract_versions where contract_path = any($1::text[]) order by contract_path, seq desc`,
      (r) => r.contract_path,
    );
    this.productVersions = this.grouped<ProductVersionRow>(
      `select product_id, seq, version, manifest, contracts, published_at, published_by
         from product_versions where product_id = any($1::text[]) order by product_id, seq desc`,
      (r) => r.product_id,
    );
    this.latestQuality = this.grouped<QualityRow>(
      `select distinct on (product_id, port) product_id, port, measured_at, score, grade, records, valid, invalid, dimensions, checks
         from quality_results where product_id = any($1::text[]) order by product_id, port, measured_at desc, id desc`,
      (r) => r.product_id,
    );
    this.latestSla = this.grouped<SlaRow>(
      `select distinct on (product_id, coalesce(port, '')) product_id, port, measured_at, freshness_lag_seconds, freshness_max_seconds,
              freshness, availability_percent, availability, completeness_percent, completeness, detail
         from sla_status where product_id = any($1::text[]) order by product_id, coalesce(port, ''), measured_at desc, id desc`,
      (r) => r.product_id,
    );
    const byTeam = this.grouped<ProductRow>(`select ${PRODUCT_COLUMNS} from products where owner_team = any($1::text[]) order by id`, (r) => r.owner_team);
    this.productsByTeam = new DataLoader(async (keys) => (await byTeam.loadMany(keys)).map((rows) => products(rows as ProductRow[])));
    const byDomain = this.grouped<ProductRow>(`select ${PRODUCT_COLUMNS} from products where domain = any($1::text[]) order by id`, (r) => r.domain);
    this.productsByDomain = new DataLoader(async (keys) => (await byDomain.loadMany(keys)).map((rows) => products(rows as ProductRow[])));
    this.node = this.single<NodeRowRead>(`${NODE_SELECT} where n.key = any($1::text[])`, (r) => r.key);
    this.productDetail = new DataLoader((ids) => this.detail(ids));
  }

  /**
   * Reads products with everything their detail page shows, one statement for a batch: the product, its ports
   * with their contracts and contract fields, its inputs and consumers, its versions, and the latest quality
   * result and SLA status of each port. Each part primes the loader that would otherwise read it (the same rows,
   * as JSON), so the resolvers run as usual and the dozen statements of a product page become one. Runs, which
   * take `first`, stay apart; the products and datasets it names come from the read models when they are
   * current (`productOf`, `nodeOf` in the resolvers), else from their loaders.
   */
  private async detail(ids: readonly string[]): Promise<(ProductRow | undefined)[]> {
    const rows = await this.rows<DetailRow>(DETAIL_STATEMENT, [ids]);
    const found = new Map<string, ProductRow>();
    for (const row of rows) {
      const id = row.product.id;
      found.set(id, row.product);
      this.product.prime(id, row.product);
      this.ports.prime(id, row.ports);
      this.inputs.prime(id, row.inputs);
      this.consumers.prime(id, row.consumers);
      this.productVersions.prime(id, row.versions);
      this.latestQuality.prime(id, row.quality);
      this.latestSla.prime(id, row.sla);
      for (const contract of row.contracts) this.contract.prime(contract.path, contract);
      for (const path of new Set(row.ports.map((p) => p.contract_path))) this.contractFields.prime(path, row.fields.filter((f) => f.contract_path === path));
    }
    return ids.map((id) => found.get(id));
  }

  /**
   * Primes the loaders with a product page from the read model (`CatalogReadModel.productPage`), as `detail`
   * primes them with the page statement's rows; returns the product. The rows are the model's, frozen.
   */
  primePage({ page, contracts }: ServedPage): ProductRow {
    const id = page.product.id;
    this.product.prime(id, page.product);
    this.ports.prime(id, page.ports as PortRow[]);
    this.inputs.prime(id, page.inputs as InputRow[]);
    this.consumers.prime(id, page.consumers as InputRow[]);
    this.productVersions.prime(id, page.versions as ProductVersionRow[]);
    this.latestQuality.prime(id, page.quality as QualityRow[]);
    this.latestSla.prime(id, page.sla as SlaRow[]);
    for (const { contract, fields } of contracts) {
      this.contract.prime(contract.path, contract);
      this.contractFields.prime(contract.path, fields as FieldRow[]);
    }
    return page.product;
  }

  /** Quality results of products, newest first, at most `first` per product, of one port or all. */
  qualityHistory(port: string | null, first: number): DataLoader<string, QualityRow[]> {
    return this.parameterized('quality', [port, first], (keys) =>
      this.rows<QualityRow>(
        `select product_id, port, measured_at, score, grade, records, valid, invalid, dimensions, checks
           from (select q.*, row_number() over (partition by product_id order by measured_at desc, id desc) as n
                   from quality_results q where product_id = any($1::text[]) and ($2::text is null or port = $2)) ranked
          where n <= $3 order by product_id, measured_at desc, n`,
        [keys, port, first],
      ),
      (r) => r.product_id,
    );
  }

  /**
   * Runs of products' jobs, newest first, at most `first` per product. A product's jobs are those its
   * OpenLineage facet names (pipeline runs, data tests, steps) and those that write one of its ports' datasets.
   */
  runs(first: number): DataLoader<string, RunRowRead[]> {
    return this.parameterized('runs', [first], (keys) =>
      this.rows<RunRowRead>(
        `with jobs as (
           select facets #>> '{mesh_dataProduct,product}' as product_id, key as job_key from lineage_nodes
            where kind = 'job' and facets ? 'mesh_dataProduct' and facets #>> '{mesh_dataProduct,product}' = any($1::text[])
           union
           select p.product_id, e.source from ports p join lineage_edges e on e.target = p.dataset_key and e.kind = 'writes'
            where p.product_id = any($1::text[])
         )
         select k.id as product_id, r.run_id::text as run_id, r.job_key, r.state, r.started_at, r.ended_at, r.last_event_at, r.error_message, r.facets
           from unnest($1::text[]) as k(id)
           cross join lateral (
             select * from runs where job_key in (select job_key from jobs where jobs.product_id = k.id)
              order by first_event_at desc, run_id limit $2
           ) r
          order by k.id, r.first_event_at desc, r.run_id`,
        [keys, first],
      ),
      (r) => r.product_id,
    );
  }

  private parameterized<R>(name: string, params: readonly unknown[], query: (keys: readonly string[]) => Promise<R[]>, keyOf: (row: R) => string): DataLoader<string, R[]> {
    const id = `${name}\u0000${JSON.stringify(params)}`;
    let loader = this.withParams.get(id) as DataLoader<string, R[]> | undefined;
    if (!loader) {
      loader = new DataLoader<string, R[]>(async (keys) => group(await query(keys), keys, keyOf));
      this.withParams.set(id, loader as DataLoader<string, unknown[]>);
    }
    return loader;
  }

  private async rows<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    return (await this.sql.query<R>(text, params, preparedAs(text))).rows;
  }

  private grouped<R>(text: string, keyOf: (row: R) => string): DataLoader<string, R[]> {
    return new DataLoader<string, R[]>(async (keys) => group(await this.rows<R>(text, [keys]), keys, keyOf));
  }

  private single<R>(text: string, keyOf: (row: R) => string): DataLoader<string, R | undefined> {
    return new DataLoader<string, R | undefined>(async (keys) => {
      const found = new Map((await this.rows<R>(text, [keys])).map((r) => [keyOf(r), r]));
      return keys.map((k) => found.get(k));
    });
  }
}

const names = new Map<string, QueryOptions>();

/**
 * A loader's statement is kept prepared on each connection under a name derived from its text: parsed and
 * planned once per connection rather than on every request (for a primary-key lookup, planning costs more
 * than running). The statements are simple lookups by key lists, whose generic plan is as good as a custom one.
 */
function preparedAs(text: string): QueryOptions {
  let options = names.get(text);
  if (!options) {
    options = { name: `mesh_loader_${createHash('sha1').update(text).digest('hex').slice(0, 16)}` };
    names.set(text, options);
  }
  return options;
}

function group<R>(rows: readonly R[], keys: readonly string[], keyOf: (row: R) => string): R[][] {
  const byKey = new Map<string, R[]>(keys.map((k) => [k, []]));
  for (const row of rows) byKey.get(keyOf(row))?.push(row);
  return keys.map((k) => byKey.get(k)!);
}
