import { normalizeEvent } from '../../catalog/ingest/normalizeEvent.js';
import type { EdgeRow, NodeRow, RunRow } from '../../catalog/ingest/LineageRows.js';
import { mergeEdgeRows, mergeNodeRows, mergeRunRows } from '../../catalog/ingest/mergeRows.js';
import { datasetKey, fieldKey } from '../../catalog/lineageKeys.js';
import type { PublishBundle } from '../../catalog/publish/PublishBundle.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import type { Principal } from '../../catalog/store/Principal.js';
import { sha256Hex } from '../../catalog/util/canonicalJson.js';
import type { DataProductManifest } from '../../platform/manifest/DataProductManifest.js';
import { DEFAULT_CATALOG_URL, MESH_FACET_KEY, meshDatasetFacet, meshJobFacet } from '../../platform/lineage/meshFacets.js';
import { COMMON_TYPES } from './generateRepository.js';
import { PRODUCER, runEvent, uuidFor, type DatasetFieldRef, type DatasetRef, type EventType, type RunEventOptions } from './lineageEvents.js';

/** How big a generated catalog is. */
export interface CatalogScale {
  readonly products: number;
  readonly domains: number;
  readonly teams: number;
  /** Dataset nodes: port datasets, external sources, and reports written by jobs outside the mesh. */
  readonly datasets: number;
  /** Lineage edges of every kind; field-level `derives` edges make up what the structure leaves. */
  readonly edges: number;
  /** Every choice follows from it: the same scale and seed make the same catalog. */
  readonly seed?: string;
}

/** The scale of issue 6's benchmark. */
export const BENCH_SCALE: CatalogScale = { products: 10_000, domains: 20, teams: 60, datasets: 50_000, edges: 200_000 };

export type Layer = 'bronze' | 'silver' | 'gold';
export type EdgeKind = 'reads' | 'writes' | 'derives' | 'publishes' | 'consumes' | 'feeds';

export interface PlannedPort {
  readonly name: string;
  readonly contract: string;
  readonly dataset: DatasetRef;
  /** Its lineage node id. */
  readonly key: string;
  readonly fields: readonly string[];
}

export type PlannedInput =
  | { readonly kind: 'product'; readonly product: PlannedProduct; readonly port: PlannedPort; readonly fields: readonly string[] }
  | { readonly kind: 'dataset'; readonly dataset: DatasetRef; readonly key: string; readonly fields: readonly string[] };

export interface PlannedProduct {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly team: string;
  readonly layer: Layer;
  readonly status: 'active' | 'deprecated' | 'draft';
  readonly ports: readonly PlannedPort[];
  readonly inputs: readonly PlannedInput[];
  /** Published twice: a second version with a new description. */
  readonly revised: boolean;
}

/** A reporting job outside the mesh. */
interface Report {
  readonly job: DatasetRef;
  readonly inputs: DatasetRef[];
  readonly outputs: DatasetRef[];
}

/** What a generated catalog holds, counted as the store counts it. */
export interface CatalogCounts {
  readonly products: number;
  readonly productVersions: number;
  readonly ports: number;
  readonly contracts: number;
  readonly contractFields: number;
  readonly productInputs: number;
  readonly datasets: number;
  readonly jobs: number;
  readonly fields: number;
  readonly edges: number;
  readonly edgesByKind: Readonly<Record<EdgeKind, number>>;
  readonly runs: number;
  readonly qualityResults: number;
  readonly slaStatus: number;
  readonly domains: number;
  readonly teams: number;
}

/** The plan of a catalog: every product, the OpenLineage events its pipelines emitted, and what it all counts. */
export interface CatalogPlan {
  readonly scale: CatalogScale;
  readonly products: readonly PlannedProduct[];
  /** The OpenLineage events of every run, made as they are read (there are many). */
  readonly events: () => Iterable<Record<string, unknown>>;
  readonly counts: CatalogCounts;
  /** A longest chain of product feeds, bronze first: product ids. */
  readonly longestChain: readonly string[];
  /** Words a catalog user would search for: entities, qualifiers, domains. */
  readonly searchTerms: readonly string[];
}

export interface GeneratedCatalog extends CatalogPlan {
  /** Seconds each phase took. */
  readonly seconds: { readonly plan: number; readonly lineage: number; readonly publish: number; readonly results: number; readonly vacuum: number; readonly total: number };
}

const DOMAINS = [
  'sales', 'marketing', 'finance', 'logistics', 'support', 'hr', 'product', 'risk', 'supply', 'billing',
  'inventory', 'payments', 'fraud', 'crm', 'web', 'mobile', 'ads', 'legal', 'procurement', 'operations',
];
const TEAM_KINDS = ['analytics', 'engineering', 'platform', 'insights', 'ops'];
const ENTITIES = [
  'orders', 'customers', 'invoices', 'shipments', 'payments', 'refunds', 'sessions', 'clicks', 'tickets', 'accounts',
  'subscriptions', 'campaigns', 'leads', 'claims', 'transactions', 'returns', 'reviews', 'devices', 'suppliers', 'employees',
  'contracts', 'stores', 'carts', 'deliveries', 'budgets', 'forecasts', 'incidents', 'listings', 'quotes', 'visits',
];
const QUALIFIERS: Readonly<Record<Layer, readonly string[]>> = {
  bronze: ['raw', 'landing', 'snapshot', 'changes'],
  silver: ['cleaned', 'enriched', 'deduplicated', 'conformed', 'joined', 'validated'],
  gold: ['daily', 'weekly', 'summary', 'kpis', 'scorecard', 'forecast', 'cohorts', 'attribution'],
};
const PORT_NAMES = ['records', 'summary', 'changes'];
/** Every port has these, so that field lineage runs along chains of products. */
const CORE_FIELDS = ['record_id', 'customer_id', 'amount', 'currency', 'status', 'created_at', 'updated_at'];
const EXTRA_FIELDS = ['contact_email', 'country', 'quantity', 'discount', 'channel', 'region', 'segment', 'score', 'notes', 'device', 'campaign_id', 'order_id', 'account_id'];
const COMMON_FILE = 'contracts/common/types.schema.json';
const WAREHOUSE = 'postgres://warehouse';
const BASE_TIME = Date.parse('2026-11-19T00:00:00.000Z');
const HOUR = 3_600_000;
const DIRECT: Principal = { kind: 'direct', name: 'generateCatalog' };

/**
 * A realistic catalog at any scale, planned without a database: products over domains and teams in
 * bronze, silver and gold layers, each reading earlier products (chains of many hops, fan-in and fan-out
 * across domains), with one to three output ports and their contracts; the OpenLineage run events their
 * pipelines, steps and data tests emit (reads, writes and field-level `derives` through column lineage);
 * reporting jobs outside the mesh (Airflow) that read gold and silver ports and write reports, some reading
 * reports in turn. Deterministic for a scale and seed.
 */
export function planCatalog(scale: CatalogScale): CatalogPlan {
  const random = mulberry32(seedOf(scale.seed ?? 'mesh'));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const domains = Array.from({ length: scale.domains }, (_, i) => DOMAINS[i] ?? `domain${i}`);
  const teamsPerDomain = Math.max(1, Math.round(scale.teams / scale.domains));
  const teamOf = (domain: string, k: number) => `${domain}-${TEAM_KINDS[k] ?? `team-${k}`}`;

  const products: PlannedProduct[] = [];
  const byDomainLayer = new Map<string, PlannedProduct[]>();
  const sources = new Map<string, { dataset: DatasetRef; fields: readonly string[] }>();
  const bronzeEnd = Math.round(scale.products * 0.3);
  const silverEnd = Math.round(scale.products * 0.7);
  for (let i = 0; i < scale.products; i++) {
    const layer: Layer = i < bronzeEnd ? 'bronze' : i < silverEnd ? 'silver' : 'gold';
    const domain = domains[i % domains.length]!;
    const entity = pick(ENTITIES);
    const qualifier = pick(QUALIFIERS[layer]);
    const slug = `${entity}_${qualifier}_${i}`;
    const id = `${domain}.${slug}`;
    const r = random();
    const portCount = r < 0.7 ? 1 : r < 0.95 ? 2 : 3;
    const extras = EXTRA_FIELDS.filter(() => random() < 0.3).slice(0, 5);
    const ports: PlannedPort[] = PORT_NAMES.slice(0, portCount).map((port, k) => {
      const dataset = { namespace: WAREHOUSE, name: `${layer}.${domain}_${slug}${k === 0 ? '' : `__${port}`}` };
      const fields = k === 0 ? [...CORE_FIELDS, ...extras] : [...CORE_FIELDS.slice(0, 5), ...extras.slice(0, 2)];
      return { name: port, contract: `contracts/${domain}/${slug}/${port}.schema.json`, dataset, key: datasetKey(dataset.namespace, dataset.name), fields };
    });

    const inputs: PlannedInput[] = [];
    const taken = new Set<string>();
    const addProduct = (upstream: PlannedProduct | undefined) => {
      if (!upstream) return;
      const port = random() < 0.8 ? upstream.ports[0]! : pick(upstream.ports);
      if (taken.has(port.key)) return;
      taken.add(port.key);
      inputs.push({ kind: 'product', product: upstream, port, fields: port.fields.filter((_, k) => k < 3 || random() < 0.4) });
    };
    const earlier = (d: string, l: Layer) => {
      const list = byDomainLayer.get(`${d}/${l}`) ?? [];
      return list.length === 0 ? undefined : pick(list);
    };
    if (layer === 'bronze') {
      const count = 1 + Math.floor(random() * 4);
      for (let s = 0; s < count; s++) {
        const dataset = { namespace: `postgres://${domain}-oltp-${s % 3}:5432`, name: `${domain}.public.${entity}_${i}_${s}` };
        const key = datasetKey(dataset.namespace, dataset.name);
        sources.set(key, { dataset, fields: ports[0]!.fields });
        inputs.push({ kind: 'dataset', dataset, key, fields: ports[0]!.fields });
      }
    } else {
      // The spine: mostly an earlier product of the same domain and layer (a random recursive tree, so chains
      // run several hops deep), otherwise one of the layer below.
      const lower: Layer = layer === 'silver' ? 'bronze' : 'silver';
      addProduct(random() < (layer === 'silver' ? 0.7 : 0.6) ? earlier(domain, layer) ?? earlier(domain, lower) : earlier(domain, lower) ?? earlier(domain, layer));
      // Fan-in from anywhere earlier, across domains.
      const more = Math.floor(random() * 3);
      for (let k = 0; k < more; k++) addProduct(products[Math.floor(random() * (layer === 'silver' ? i : i - bronzeEnd)) + (layer === 'silver' ? 0 : bronzeEnd)]);
      if (inputs.length === 0) addProduct(products[Math.floor(random() * i)]);
    }
    const status = random() < 0.9 ? 'active' : random() < 0.5 ? 'deprecated' : 'draft';
    const product: PlannedProduct = {
      index: i,
      id,
      name: `${title(domain)} ${title(entity)} ${title(qualifier)}`,
      domain,
      team: teamOf(domain, Math.floor(i / domains.length) % teamsPerDomain),
      layer,
      status,
      ports,
      inputs,
      revised: i % 5 === 0,
    };
    products.push(product);
    const list = byDomainLayer.get(`${domain}/${layer}`) ?? [];
    list.push(product);
    byDomainLayer.set(`${domain}/${layer}`, list);
  }

  // Reports outside the mesh fill the datasets the scale asks for.
  const portCount = products.reduce((n, p) => n + p.ports.length, 0);
  const reports: Report[] = [];
  const reportFields = new Map<string, readonly string[]>();
  let reportDatasets = Math.max(0, scale.datasets - portCount - sources.size);
  const servedPorts = products.filter((p) => p.layer !== 'bronze').flatMap((p) => p.ports);
  const lastReport = new Map<string, DatasetRef>();
  for (let k = 0; reportDatasets > 0 && servedPorts.length > 0; k++) {
    const port = pick(servedPorts);
    const domain = port.dataset.name.split('.')[1]!.split('_')[0]!;
    const inputs: DatasetRef[] = [port.dataset];
    const previous = lastReport.get(domain);
    if (previous && random() < 0.5) inputs.push(previous);
    const count = Math.min(reportDatasets, 2 + Math.floor(random() * 5));
    const outputs = Array.from({ length: count }, (_, j) => ({ namespace: `s3://${domain}-reports`, name: `reports/${domain}/report_${k}/part_${j}.parquet` }));
    for (const output of outputs) reportFields.set(datasetKey(output.namespace, output.name), port.fields.slice(0, 5));
    lastReport.set(domain, outputs[0]!);
    reports.push({ job: { namespace: 'airflow', name: `${domain}_reporting.export_${k}` }, inputs, outputs });
    reportDatasets -= count;
  }

  // Edges the structure makes, counted as the store will hold them, then field lineage up to the edge budget.
  let structural = 0;
  for (const p of products) {
    structural += p.ports.length; // publishes
    structural += p.inputs.length; // feeds or consumes
    structural += p.inputs.length + p.ports.length; // the pipeline job reads its inputs and writes its ports
    if (p.ports.length > 1) structural += p.ports.length * (p.inputs.length + 1); // one step job per port
    structural += p.ports.length; // the data test reads the ports
  }
  for (const r of reports) structural += r.inputs.length + r.outputs.length;
  const lineage = allocateColumnLineage(products, Math.max(0, scale.edges - structural));

  const runs = new Map(products.map((p) => [p.id, { at: BASE_TIME + Math.floor(random() * 7 * 24) * HOUR, minutes: 10 + Math.floor(random() * 40), failed: random() < 0.03 }]));
  let derives = 0;
  const fieldKeys = new Set<string>();
  for (const port of products.flatMap((p) => p.ports)) {
    for (const [field, inputs] of Object.entries(lineage.get(port.key) ?? {})) {
      fieldKeys.add(fieldKey(port.dataset.namespace, port.dataset.name, field));
      for (const input of inputs) fieldKeys.add(fieldKey(input.namespace, input.name, input.field));
      derives += inputs.length;
    }
  }
  const edgesByKind: Record<EdgeKind, number> = { reads: 0, writes: 0, derives, publishes: 0, consumes: 0, feeds: 0 };
  let jobs = reports.length;
  for (const p of products) {
    edgesByKind.publishes += p.ports.length;
    for (const input of p.inputs) edgesByKind[input.kind === 'product' ? 'feeds' : 'consumes']++;
    edgesByKind.reads += p.inputs.length + p.ports.length + (p.ports.length > 1 ? p.ports.length * p.inputs.length : 0);
    edgesByKind.writes += p.ports.length + (p.ports.length > 1 ? p.ports.length : 0);
    jobs += 2 + (p.ports.length > 1 ? p.ports.length : 0);
  }
  for (const r of reports) {
    edgesByKind.reads += r.inputs.length;
    edgesByKind.writes += r.outputs.length;
  }
  const runCount = products.reduce((n, p) => n + 2 + (p.index % 4 === 1 ? 1 : 0) + (p.ports.length > 1 ? p.ports.length : 0), reports.length);
  const contractFields = products.reduce((n, p) => n + p.ports.reduce((m, port) => m + port.fields.length, 0), 0);
  const counts: CatalogCounts = {
    products: products.length,
    productVersions: products.length + products.filter((p) => p.revised).length,
    ports: portCount,
    contracts: portCount,
    contractFields,
    productInputs: products.reduce((n, p) => n + p.inputs.length, 0),
    datasets: portCount + sources.size + reportFields.size,
    jobs,
    fields: fieldKeys.size,
    edges: Object.values(edgesByKind).reduce((a, b) => a + b, 0),
    edgesByKind,
    runs: runCount,
    qualityResults: portCount * 2,
    slaStatus: portCount + products.length,
    domains: domains.length,
    teams: new Set(products.map((p) => p.team)).size,
  };
  return {
    scale,
    products,
    events: () => catalogEvents(scale, products, reports, lineage, runs, [...sources.values()], reportFields),
    counts,
    longestChain: longestChain(products),
    searchTerms: [...ENTITIES, ...QUALIFIERS.silver, ...QUALIFIERS.gold, ...domains.slice(0, 10)],
  };
}

/**
 * Fills a catalog store, empty but migrated, with a planned catalog: lineage first, written in bulk (COPY) as
 * the rows the ingestion statement would store for the same events (every event normalized by
 * `normalizeEvent`, merged by the store's own merge rules; the raw events are not kept, as no query reads them);
 * then every product through the real publishing path (`store.publish`, in chunks), which claims the port
 * datasets and declares `publishes`, `consumes` and `feeds` edges; a second version of every fifth product;
 * then two data-test results per port and the SLA status of every product and port, in bulk. On a server the
 * tables are vacuumed and analyzed at the end, as autovacuum would.
 */
export async function generateCatalog(store: CatalogStore, scale: CatalogScale = BENCH_SCALE): Promise<GeneratedCatalog> {
  const started = performance.now();
  const plan = planCatalog(scale);
  const planned = performance.now();
  await writeLineage(store, plan.events());
  const lineageDone = performance.now();
  await publishPlan(store, plan.products);
  const published = performance.now();
  await writeResults(store, plan.products);
  const results = performance.now();
  if (store.sql.kind === 'postgres') await store.sql.exec('vacuum analyze');
  const done = performance.now();
  return {
    ...plan,
    seconds: {
      plan: (planned - started) / 1000,
      lineage: (lineageDone - planned) / 1000,
      publish: (published - lineageDone) / 1000,
      results: (results - published) / 1000,
      vacuum: (done - results) / 1000,
      total: (done - started) / 1000,
    },
  };
}

/** The run events of a planned catalog: each product's pipeline (and an earlier run of every fourth), its steps, its data test, and the reporting jobs. */
function* catalogEvents(
  scale: CatalogScale,
  products: readonly PlannedProduct[],
  reports: readonly Report[],
  lineage: ReadonlyMap<string, Record<string, DatasetFieldRef[]>>,
  runs: ReadonlyMap<string, { at: number; minutes: number; failed: boolean }>,
  sources: readonly { dataset: DatasetRef; fields: readonly string[] }[],
  reportFields: ReadonlyMap<string, readonly string[]>,
): Generator<Record<string, unknown>> {
  const fieldsOf = new Map<string, readonly string[]>(reportFields);
  for (const p of products) for (const port of p.ports) fieldsOf.set(port.key, port.fields);
  for (const s of sources) fieldsOf.set(datasetKey(s.dataset.namespace, s.dataset.name), s.fields);
  const none: readonly string[] = [];
  // mesh's own facets tie the product's jobs and port datasets to it, as `mesh run` and `mesh test` emit them.
  const portFacets = new Map<string, Record<string, unknown>>();
  const jobFacets = new Map<string, Record<string, unknown>>();
  for (const p of products) {
    const manifest = manifestOf(p, p.revised) as unknown as DataProductManifest;
    jobFacets.set(p.id, { [MESH_FACET_KEY]: meshJobFacet(PRODUCER, DEFAULT_CATALOG_URL, manifest) });
    manifest.outputs.forEach((output, k) => portFacets.set(p.ports[k]!.key, { [MESH_FACET_KEY]: meshDatasetFacet(PRODUCER, DEFAULT_CATALOG_URL, manifest, output, '1.0.0') }));
  }
  const datasetFacets = (d: DatasetRef) => portFacets.get(datasetKey(d.namespace, d.name));
  const fieldNames = (d: DatasetRef) => fieldsOf.get(datasetKey(d.namespace, d.name)) ?? none;
  type Common = Omit<RunEventOptions, 'runId' | 'eventType' | 'eventTime' | 'job'>;
  function* run(seed: string, job: DatasetRef, at: number, minutes: number, common: Common, end: EventType = 'COMPLETE') {
    const runId = uuidFor(`${scale.seed ?? 'mesh'}:${seed}`);
    yield runEvent({ ...common, runId, job, eventType: 'START', eventTime: iso(at), fieldNames, datasetFacets, columnLineage: [] });
    yield runEvent({ ...common, runId, job, eventType: end, eventTime: iso(at + minutes * 60_000), fieldNames, datasetFacets });
  }
  for (const p of products) {
    const { at, minutes, failed } = runs.get(p.id)!;
    const inputs = p.inputs.map((input) => (input.kind === 'product' ? input.port.dataset : input.dataset));
    const outputs = p.ports.map((port) => port.dataset);
    const pipeline = { namespace: 'mesh', name: p.id };
    const columnLineage = p.ports.map((port) => lineage.get(port.key) ?? {});
    const mesh = { jobFacets: jobFacets.get(p.id)! };
    if (p.index % 4 === 1) yield* run(`${p.id}:previous`, pipeline, at - 24 * HOUR, 12, { ...mesh, inputs, outputs, columnLineage, jobType: meshJob('DATA_PRODUCT') });
    const error = failed ? { errorMessage: `rejected records of ${p.id} exceed the completeness SLA` } : {};
    yield* run(`${p.id}:run`, pipeline, at, minutes, { ...mesh, inputs, outputs, columnLineage, jobType: meshJob('DATA_PRODUCT'), ...error }, failed ? 'FAIL' : 'COMPLETE');
    if (p.ports.length > 1) {
      const parentRunId = uuidFor(`${scale.seed ?? 'mesh'}:${p.id}:run`);
      for (const port of p.ports) {
        yield* run(`${p.id}:step:${port.name}`, { namespace: 'mesh', name: `${p.id}.step.${port.name}` }, at + 60_000, 5, { ...mesh, inputs, outputs: [port.dataset], columnLineage: [], parentRunId, jobType: meshJob('STEP') });
      }
    }
    yield* run(`${p.id}:test`, { namespace: 'mesh', name: `${p.id}.test` }, at + HOUR, 2, { ...mesh, inputs: outputs, outputs: [], columnLineage: [], jobType: meshJob('TEST') });
  }
  for (const [k, r] of reports.entries()) {
    yield* run(`report:${k}`, r.job, BASE_TIME + (k % 168) * HOUR, 3, { inputs: r.inputs, outputs: r.outputs, columnLineage: [], jobType: { integration: 'AIRFLOW', jobType: 'TASK' } });
  }
}

function meshJob(jobType: string) {
  return { integration: 'MESH', jobType };
}

/** Field lineage of each port, up to `budget` edges in all: each field from the same field of the inputs that have it. */
function allocateColumnLineage(products: readonly PlannedProduct[], budget: number): Map<string, Record<string, DatasetFieldRef[]>> {
  const candidates: { port: string; field: string; source: DatasetFieldRef }[][] = [];
  for (const p of products) {
    for (const port of p.ports) {
      const pairs: { port: string; field: string; source: DatasetFieldRef }[] = [];
      // The first input that has a field first (the spine), then the others.
      for (const input of p.inputs) {
        const dataset = input.kind === 'product' ? input.port.dataset : input.dataset;
        for (const field of port.fields) if (input.fields.includes(field)) pairs.push({ port: port.key, field, source: { ...dataset, field } });
      }
      candidates.push(pairs);
    }
  }
  const out = new Map<string, Record<string, DatasetFieldRef[]>>();
  let left = budget;
  // Round robin over ports, so that every port gets field lineage before any gets all of its candidates.
  for (let round = 0; left > 0; round++) {
    let added = 0;
    for (const pairs of candidates) {
      const pair = pairs[round];
      if (!pair || left === 0) continue;
      const fields = out.get(pair.port) ?? {};
      (fields[pair.field] ??= []).push(pair.source);
      out.set(pair.port, fields);
      left--;
      added++;
    }
    if (added === 0) break;
  }
  return out;
}

/** The longest path of feeds through the products, upstream first. */
function longestChain(products: readonly PlannedProduct[]): string[] {
  const depth = new Map<string, { length: number; from: string | undefined }>();
  let best: string | undefined;
  for (const p of products) {
    let length = 1;
    let from: string | undefined;
    for (const input of p.inputs) {
      if (input.kind !== 'product') continue;
      const d = depth.get(input.product.id)!;
      if (d.length + 1 > length) {
        length = d.length + 1;
        from = input.product.id;
      }
    }
    depth.set(p.id, { length, from });
    if (best === undefined || length > depth.get(best)!.length) best = p.id;
  }
  const chain: string[] = [];
  for (let id = best; id !== undefined; id = depth.get(id)!.from) chain.unshift(id);
  return chain;
}

async function writeLineage(store: CatalogStore, events: Iterable<Record<string, unknown>>): Promise<void> {
  const nodes = new Map<string, NodeRow>();
  const edges = new Map<string, EdgeRow>();
  const runs = new Map<string, RunRow>();
  for (const value of events) {
    const text = JSON.stringify(value);
    const event = normalizeEvent(value as Parameters<typeof normalizeEvent>[0], sha256Hex(text), text);
    for (const node of event.nodes) {
      const existing = nodes.get(node.key);
      nodes.set(node.key, existing ? mergeNodeRows(existing, node) : node);
    }
    for (const edge of event.edges) {
      const id = `${edge.source}\u0000${edge.kind}\u0000${edge.target}`;
      const existing = edges.get(id);
      edges.set(id, existing ? mergeEdgeRows(existing, edge) : edge);
    }
    if (event.run) {
      const existing = runs.get(event.run.id);
      runs.set(event.run.id, existing ? mergeRunRows(existing, event.run) : event.run);
    }
  }
  const json = (value: unknown) => JSON.stringify(value);
  await store.sql.transaction(async (tx) => {
    await tx.copyFrom(
      'copy lineage_nodes (key, kind, namespace, name, field, dataset_key, facets, facet_stamps) from stdin',
      copyRows(nodes.values(), (n) => [n.key, n.kind, n.namespace, n.name, n.field, n.dataset, json(n.facets), json(n.stamps)]),
    );
    await tx.copyFrom(
      'copy lineage_edges (source, target, kind, detail, first_stamp) from stdin',
      copyRows(edges.values(), (e) => [e.source, e.target, e.kind, e.detail === null ? null : json(e.detail), e.stamp]),
    );
    await tx.copyFrom(
      `copy runs (run_id, job_key, state, state_rank, state_stamp, state_time, started_at, ended_at, error_message, first_event_at,
                  last_event_at, parent_run_id, nominal_start, nominal_end, facets, facet_stamps) from stdin`,
      copyRows(runs.values(), (r) => [
        r.id, r.job, r.state, String(r.rank), r.stamp, r.stateTime, r.startedAt, r.endedAt, r.errorMessage, r.firstEventAt,
        r.lastEventAt, r.parentRunId, r.nominalStart, r.nominalEnd, json(r.facets), json(r.stamps),
      ]),
    );
  });
}

/** Rows in COPY's text format, in chunks of about a megabyte. */
async function* copyRows<T>(rows: Iterable<T>, columns: (row: T) => readonly (string | null)[]): AsyncIterable<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += columns(row).map((v) => (v === null ? '\\N' : v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!))).join('\t') + '\n';
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

async function publishPlan(store: CatalogStore, products: readonly PlannedProduct[]): Promise<void> {
  const chunks = (list: readonly PlannedProduct[], revision: boolean) =>
    Array.from({ length: Math.ceil(list.length / 500) }, (_, i) => () => store.publish(bundleOf(list.slice(i * 500, (i + 1) * 500), revision), DIRECT));
  // Two publications in flight on a server: one prepares (CPU here) while the other writes (there).
  const inFlight = store.sql.kind === 'postgres' ? 2 : 1;
  for (const work of [chunks(products, false), chunks(products.filter((p) => p.revised), true)]) {
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < work.length) await work[next++]!();
    }));
  }
}

function bundleOf(products: readonly PlannedProduct[], revision: boolean): PublishBundle {
  return {
    products: products.map((p) => ({ file: `products/${p.domain}/${p.id.split('.')[1]}/product.yaml`, manifest: manifestOf(p, revision) })),
    contracts: [{ file: COMMON_FILE, schema: COMMON_TYPES }, ...products.flatMap((p) => p.ports.map((port) => ({ file: port.contract, schema: contractOf(p, port) })))],
  };
}

function manifestOf(p: PlannedProduct, revision: boolean): Record<string, unknown> {
  const entity = p.id.split('.')[1]!.split('_')[0]!;
  const hasEmail = p.ports.some((port) => port.fields.includes('contact_email'));
  return {
    apiVersion: 'mesh/v1',
    kind: 'DataProduct',
    id: p.id,
    name: p.name,
    domain: p.domain,
    version: revision ? '1.1.0' : '1.0.0',
    status: p.status,
    ...(p.status === 'deprecated' ? { sunset: '2027-06-30' } : {}),
    description:
      `${p.layer === 'bronze' ? 'Raw' : p.layer === 'silver' ? 'Cleaned and conformed' : 'Business-ready'} ${entity} of the ${p.domain} domain, ` +
      `one row per record${revision ? ', now with late-arriving corrections' : ''}. Owned by ${p.team}.`,
    owner: { team: p.team, email: `${p.team}@example.com`, slack: `#${p.team}` },
    tags: [...new Set([p.domain, p.layer, entity, `tier-${p.index % 3}`, ...(hasEmail ? ['pii'] : [])])],
    layer: p.layer,
    pattern: p.layer === 'bronze' ? (p.index % 2 === 0 ? 'cdc' : 'file') : 'elt',
    inputs: p.inputs.map((input) =>
      input.kind === 'product'
        ? { product: input.product.id, port: input.port.name, fields: [...input.fields], description: `${input.product.name}, for ${input.fields.slice(0, 3).join(', ')}.` }
        : { dataset: input.dataset, description: `The operational ${entity} table.` },
    ),
    outputs: p.ports.map((port) => ({
      port: port.name,
      contract: port.contract,
      compatibility: 'forward',
      description: `${p.name}: ${port.name === 'records' ? 'every record' : port.name === 'summary' ? 'one row per customer and day' : 'the changes of each run'}.`,
      dataset: port.dataset,
    })),
    sla: { freshness: { max: `PT${1 + (p.index % 48)}H`, column: 'updated_at' }, availability: 99.5, completeness: 98 },
    quality: [
      { check: 'unique', field: 'record_id' },
      { check: 'not_null', field: 'customer_id' },
      { check: 'accepted_values', field: 'status', values: ['new', 'active', 'closed'] },
      { check: 'range', field: 'amount', min: 0 },
      { check: 'row_count', min: 1 },
    ],
  };
}

const FIELD_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = {
  record_id: { type: 'string', pattern: '^R-[0-9]{8}$' },
  customer_id: { type: 'string', minLength: 1, maxLength: 64 },
  amount: { $ref: '../../common/types.schema.json#/$defs/money' },
  currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  status: { type: 'string', enum: ['new', 'active', 'closed'] },
  created_at: { $ref: '../../common/types.schema.json#/$defs/timestamp' },
  updated_at: { $ref: '../../common/types.schema.json#/$defs/timestamp' },
  contact_email: { type: ['string', 'null'], format: 'email', 'x-pii': true, 'x-classification': 'confidential' },
  country: { type: 'string', pattern: '^[A-Z]{2}$' },
  quantity: { type: 'integer', minimum: 0 },
  discount: { type: ['number', 'null'], minimum: 0, maximum: 1 },
  channel: { type: 'string', enum: ['web', 'store', 'partner'] },
  region: { type: 'string' },
  segment: { type: 'string' },
  score: { type: 'number' },
  notes: { type: ['string', 'null'], maxLength: 2000 },
  device: { type: 'string' },
  campaign_id: { type: 'string' },
  order_id: { type: 'string' },
  account_id: { type: 'string' },
};

function contractOf(p: PlannedProduct, port: PlannedPort): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of port.fields) properties[field] = { description: `The ${field.replace(/_/g, ' ')} of each ${p.name.toLowerCase()} record.`, ...FIELD_SCHEMAS[field] };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `${p.name} ${port.name}`,
    description: `One record of ${p.name} (${port.name}).`,
    'x-version': '1.0.0',
    'x-primary-key': ['record_id'],
    'x-classification': 'internal',
    type: 'object',
    additionalProperties: false,
    required: CORE_FIELDS.filter((f) => port.fields.includes(f)),
    properties,
  };
}

const DIMENSIONS = [
  { name: 'validity', weight: 0.3, detail: (v: number) => `${v.toFixed(1)}% of records valid against the contract` },
  { name: 'completeness', weight: 0.15, detail: (v: number) => `${v.toFixed(1)}% non-null values in contract fields` },
  { name: 'uniqueness', weight: 0.15, detail: (v: number) => `${v.toFixed(1)}% distinct primary keys` },
  { name: 'freshness', weight: 0.2, detail: (v: number) => `newest record ${((100 - v) / 4).toFixed(1)} h old against the SLA` },
  { name: 'checks', weight: 0.1, detail: (v: number) => `${Math.round(v / 20)} of 5 quality checks pass` },
  { name: 'documentation', weight: 0.1, detail: () => 'descriptions, owner and SLA present' },
];

/** Two data-test results per port (yesterday's and today's) and SLA status per product and port, as `mesh test` records them. */
async function writeResults(store: CatalogStore, products: readonly PlannedProduct[]): Promise<void> {
  const random = mulberry32(7);
  const quality: Record<string, unknown>[] = [];
  const sla: Record<string, unknown>[] = [];
  const state = () => {
    const r = random();
    return r < 0.8 ? 'MET' : r < 0.9 ? 'AT_RISK' : r < 0.97 ? 'BREACHED' : 'UNKNOWN';
  };
  for (const p of products) {
    const at = BASE_TIME + 7 * 24 * HOUR + (p.index % 24) * HOUR;
    for (const port of p.ports) {
      for (const day of [1, 0]) {
        const dimensions = DIMENSIONS.map((d) => {
          const score = d.name === 'documentation' ? 100 : Math.round((70 + random() * 30) * 10) / 10;
          return { name: d.name, score, weight: d.weight, detail: d.detail(score) };
        });
        const score = Math.round(dimensions.reduce((n, d) => n + d.score * d.weight, 0) * 10) / 10;
        const records = 1000 + Math.floor(random() * 100_000);
        const invalid = Math.floor(records * (1 - dimensions[0]!.score / 100));
        quality.push({
          productId: p.id,
          port: port.name,
          runId: uuidFor(`quality:${p.id}:${port.name}:${day}`),
          measuredAt: iso(at - day * 24 * HOUR),
          score,
          grade: score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F',
          records,
          valid: records - invalid,
          invalid,
          dimensions,
          checks: ['unique', 'not_null', 'accepted_values', 'range', 'row_count'].map((check, k) => {
            const passed = random() < 0.92;
            return { name: `${check}${k < 4 ? `(${['record_id', 'customer_id', 'status', 'amount'][k]})` : ''}`, passed, check, severity: 'error', status: passed ? 'pass' : 'fail', observed: passed ? 0 : 1 + Math.floor(random() * 50), expected: 0, message: passed ? 'passed' : 'violations found' };
          }),
          metrics: { fields: Object.fromEntries(port.fields.map((f) => [f, { nullCount: f === 'notes' ? Math.floor(records / 3) : 0 }])), keys: { record_id: { duplicates: 0 } }, contract: { path: port.contract, version: '1.0.0' }, source: { dataset: port.key } },
        });
      }
    }
    for (const port of [null, ...p.ports.map((x) => x.name)]) {
      const maxSeconds = (1 + (p.index % 48)) * 3600;
      const freshness = state();
      sla.push({
        productId: p.id,
        port,
        measuredAt: iso(at),
        freshness,
        freshnessLag: Math.round(maxSeconds * (freshness === 'MET' ? random() * 0.7 : freshness === 'AT_RISK' ? 0.9 : 1.5)),
        freshnessMax: maxSeconds,
        availability: state(),
        availabilityPercent: Math.round((97 + random() * 3) * 100) / 100,
        completeness: state(),
        completenessPercent: Math.round((95 + random() * 5) * 100) / 100,
        detail: { freshness: { measuredFrom: 'updated_at' }, availability: { target: 99.5 }, completeness: { target: 98 } },
      });
    }
  }
  const chunk = 5_000;
  await store.sql.transaction(async (tx) => {
    for (let i = 0; i < quality.length; i += chunk) {
      await tx.query(
        `insert into quality_results (product_id, port, run_id, measured_at, score, grade, records, valid, invalid, dimensions, checks, metrics, recorded_by)
         select "productId", port, "runId", "measuredAt", score, grade, records, valid, invalid, dimensions, checks, metrics, 'generateCatalog'
           from jsonb_to_recordset($1::jsonb) as x("productId" text, port text, "runId" uuid, "measuredAt" timestamptz, score double precision,
                grade text, records bigint, valid bigint, invalid bigint, dimensions jsonb, checks jsonb, metrics jsonb)`,
        [JSON.stringify(quality.slice(i, i + chunk))],
      );
    }
    for (let i = 0; i < sla.length; i += chunk) {
      await tx.query(
        `insert into sla_status (product_id, port, measured_at, freshness_lag_seconds, freshness_max_seconds, freshness, availability_percent,
                                 availability, completeness_percent, completeness, detail, recorded_by)
         select "productId", port, "measuredAt", "freshnessLag", "freshnessMax", freshness, "availabilityPercent", availability,
                "completenessPercent", completeness, detail, 'generateCatalog'
           from jsonb_to_recordset($1::jsonb) as x("productId" text, port text, "measuredAt" timestamptz, "freshnessLag" double precision,
                "freshnessMax" double precision, freshness text, "availabilityPercent" double precision, availability text,
                "completenessPercent" double precision, completeness text, detail jsonb)`,
        [JSON.stringify(sla.slice(i, i + chunk))],
      );
    }
  });
}

function title(word: string): string {
  return word.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function seedOf(text: string): number {
  return Number.parseInt(sha256Hex(text).slice(0, 8), 16);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same catalog. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

