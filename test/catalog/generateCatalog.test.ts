import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventChecker } from '../../catalog/ingest/checkEvent.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { meshFacetSchemas } from '../../platform/lineage/meshFacets.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { generateCatalog, planCatalog, type CatalogScale, type GeneratedCatalog } from '../support/generateCatalog.js';

/** The benchmark's catalog generator at a small scale: it makes what it promises, on both adapters. */
const SCALE: CatalogScale = { products: 80, domains: 4, teams: 12, datasets: 400, edges: 1_600, seed: 'test' };

describe('planCatalog', () => {
  const plan = planCatalog(SCALE);

  it('meets the scale: products, datasets, edges, domains and teams', () => {
    expect(plan.counts).toMatchObject({ products: 80, datasets: 400, edges: 1_600, domains: 4, teams: 12 });
    const kinds = plan.counts.edgesByKind;
    expect(Object.values(kinds).reduce((a, b) => a + b, 0)).toBe(1_600);
    for (const kind of ['reads', 'writes', 'derives', 'publishes', 'consumes', 'feeds'] as const) expect(kinds[kind], kind).toBeGreaterThan(0);
    expect(new Set(plan.products.map((p) => p.layer))).toEqual(new Set(['bronze', 'silver', 'gold']));
  });

  it('is the same catalog for the same seed, another for another seed', () => {
    const again = planCatalog(SCALE);
    expect(again.products.map((p) => p.id)).toEqual(plan.products.map((p) => p.id));
    expect(again.counts).toEqual(plan.counts);
    expect(planCatalog({ ...SCALE, seed: 'other' }).products.map((p) => p.id)).not.toEqual(plan.products.map((p) => p.id));
  });

  it('has chains of at least six feeds from bronze to gold', () => {
    const layers = plan.longestChain.map((id) => plan.products.find((p) => p.id === id)!.layer);
    expect(plan.longestChain.length).toBeGreaterThanOrEqual(6);
    expect(layers[0]).toBe('bronze');
    expect(layers.at(-1)).toBe('gold');
    const rank = { bronze: 0, silver: 1, gold: 2 };
    for (let i = 1; i < layers.length; i++) expect(rank[layers[i]!]).toBeGreaterThanOrEqual(rank[layers[i - 1]!]);
  });

  it('emits OpenLineage events that conform to the spec (and mesh facets to their schemas)', () => {
    const checker = EventChecker.create(meshFacetSchemas());
    let events = 0;
    for (const event of plan.events()) {
      checker.check(event);
      events++;
    }
    expect(events).toBe(plan.counts.runs * 2);
  });
});

describe.each(CATALOG_ADAPTERS)('generateCatalog on $name', (adapter) => {
  let store: CatalogStore;
  let drop: () => Promise<void>;
  let catalog: GeneratedCatalog;
  const count = async (sql: string, params: unknown[] = []) => (await store.sql.query<{ n: number }>(sql, params)).rows[0]!.n;

  beforeAll(async () => {
    if (!adapter.available) return;
    const db = await adapter.create();
    drop = db.drop;
    store = await openCatalogStore(db.config);
    catalog = await generateCatalog(store, SCALE);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it.skipIf(!adapter.available)('stores exactly what the plan counts', async () => {
    const { counts } = catalog;
    expect(await store.counts()).toMatchObject({
      products: counts.products,
      productVersions: counts.productVersions,
      contracts: counts.contracts,
      edges: counts.edges,
      runs: counts.runs,
      events: 0,
    });
    expect(await count('select count(*)::int as n from datasets')).toBe(counts.datasets);
    expect(await count('select count(*)::int as n from jobs')).toBe(counts.jobs);
    expect(await count('select count(*)::int as n from dataset_fields')).toBe(counts.fields);
    expect(await count('select count(*)::int as n from ports')).toBe(counts.ports);
    expect(await count('select count(*)::int as n from contract_fields')).toBe(counts.contractFields);
    expect(await count('select count(*)::int as n from product_inputs')).toBe(counts.productInputs);
    expect(await count('select count(*)::int as n from quality_results')).toBe(counts.qualityResults);
    expect(await count('select count(*)::int as n from sla_status')).toBe(counts.slaStatus);
    expect(await count('select count(distinct domain)::int as n from products')).toBe(counts.domains);
    expect(await count('select count(distinct owner_team)::int as n from products')).toBe(counts.teams);
    const kinds = (await store.sql.query<{ kind: string; n: number }>('select kind, count(*)::int as n from lineage_edges group by kind')).rows;
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual(counts.edgesByKind);
  });

  it.skipIf(!adapter.available)('claims every port dataset for its product, with the mesh facet naming it', async () => {
    expect(await count('select count(*)::int as n from ports where dataset_key is null')).toBe(0);
    expect(await count(`select count(*)::int as n from ports p join lineage_nodes n on n.key = p.dataset_key where n.product_id = p.product_id and n.port = p.name
                         and n.facets #>> '{mesh_dataProduct,product}' = p.product_id and n.facets ? 'schema' and n.facets ? 'columnLineage'`)).toBe(catalog.counts.ports);
  });

  it.skipIf(!adapter.available)('walks the longest chain upstream through feeds, and through jobs at the dataset level', async () => {
    const chain = catalog.longestChain;
    const feeds = await store.sql.query<{ key: string; depth: number }>(
      `with recursive up(key, depth) as (
         select $1::text, 0
         union
         select e.source, up.depth + 1 from up join lineage_edges e on e.target = up.key and e.kind = 'feeds' where up.depth < 50
       )
       select key, min(depth)::int as depth from up group by key`,
      [`product:${chain.at(-1)}`],
    );
    const depthOf = new Map(feeds.rows.map((r) => [r.key, r.depth]));
    expect(depthOf.get(`product:${chain[0]}`)).toBeGreaterThanOrEqual(1);
    // Through the jobs: from the last product's port dataset, upstream over writes and reads, to the first one's.
    const ports = (await store.sql.query<{ product: string; key: string }>('select product_id as product, dataset_key as key from ports where product_id = any($1::text[]) and position = 0', [[chain[0], chain.at(-1)]])).rows;
    const first = ports.find((p) => p.product === chain[0])!.key;
    const last = ports.find((p) => p.product === chain.at(-1))!.key;
    const walk = await store.sql.query<{ depth: number }>(
      `with recursive up(key, depth) as (
         select $1::text, 0
         union
         select e.source, up.depth + 1 from up join lineage_edges e on e.target = up.key and e.kind in ('reads', 'writes') where up.depth < 60
       )
       select min(depth)::int as depth from up where key = $2`,
      [last, first],
    );
    expect(walk.rows[0]!.depth).toBeGreaterThanOrEqual(2 * (depthOf.get(`product:${chain[0]}`) ?? 0));
    expect(walk.rows[0]!.depth).toBeGreaterThanOrEqual(6);
  });

  it.skipIf(!adapter.available)('links fields of upstream ports to fields of downstream ports', async () => {
    expect(await count(`select count(*)::int as n from lineage_edges e join lineage_nodes s on s.key = e.source join lineage_nodes t on t.key = e.target
                         where e.kind = 'derives' and s.kind = 'field' and t.kind = 'field' and s.dataset_key is not null and t.dataset_key is not null`)).toBe(catalog.counts.edgesByKind.derives);
    // Some field flows through three ports or more.
    const deep = await count(
      `select count(*)::int as n from lineage_edges a join lineage_edges b on b.source = a.target and b.kind = 'derives'
        join lineage_nodes t on t.key = b.target join ports p on p.dataset_key = t.dataset_key where a.kind = 'derives'`,
    );
    expect(deep).toBeGreaterThan(0);
  });

  it.skipIf(!adapter.available)('records runs, data-test results and SLA status as mesh run and mesh test do', async () => {
    const states = (await store.sql.query<{ state: string }>('select distinct state from runs')).rows.map((r) => r.state);
    expect(states).toContain('COMPLETE');
    expect(states.every((s) => ['COMPLETE', 'FAIL'].includes(s))).toBe(true);
    expect(await count('select count(*)::int as n from runs where started_at is null or ended_at is null')).toBe(0);
    expect(await count(`select count(*)::int as n from runs r join lineage_nodes j on j.key = r.job_key where j.facets ? 'mesh_dataProduct'`)).toBe(
      catalog.counts.runs - (await count(`select count(*)::int as n from runs where job_key like 'job:airflow:%'`)),
    );
    expect(await count('select count(*)::int as n from quality_results where score is null or grade is null or jsonb_array_length(dimensions) <> 6')).toBe(0);
    expect(await count('select count(*)::int as n from sla_status where port is null')).toBe(catalog.counts.products);
  });
});
