import { GraphQLScalarType, Kind, valueFromASTUntyped, type GraphQLFieldResolver, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { grade } from '../../platform/quality/score/scoreQuality.js';
import { AuthenticationError } from '../../platform/errors.js';
import type { CatalogStore } from '../store/CatalogStore.js';
import type { Principal } from '../store/Principal.js';
import type { TokenPrincipal } from '../store/tokens.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Loaders } from './loaders.js';
import { impactOf, type ImpactRow, type ImpactStart } from './queries/impactOf.js';
import { searchFields, type FieldHit } from './queries/searchFields.js';
import { searchProducts, type ProductFilter, type ProductSearch } from './queries/searchProducts.js';
import type { CatalogReadModel } from './readModel/CatalogReadModel.js';
import type { SearchIndex } from './readModel/SearchIndex.js';
import { walkLineage, type Direction, type LineageNodeRead } from './queries/walkLineage.js';
import {
  iso,
  type ContractRow,
  type ContractVersionRow,
  type FieldRow,
  type InputRow,
  type NodeRowRead,
  type PortRow,
  type ProductRow,
  type ProductVersionRow,
  type QualityRow,
  type RunRowRead,
  type SlaRow,
  type SlaStateName,
} from './rows.js';

/** What every resolver gets: the store, its database, the read models (when on), this request's loaders and the caller. */
export interface GraphQLContext {
  readonly store: CatalogStore;
  readonly sql: SqlClient;
  readonly readModel: CatalogReadModel | undefined;
  readonly loaders: Loaders;
  readonly principal: TokenPrincipal | undefined;
}

type Args = Record<string, any>;

/**
 * A product's combined quality: one port's latest score, or the mean of each port's latest. What takes work
 * beyond the score (dimensions, dates, sums, checks) is a function, which the `QualityScore` resolvers call only
 * when the query selects the field: a page of search results asks for score and grade alone.
 */
interface QualityView {
  readonly score: number | null;
  readonly grade: string | null;
  readonly dimensions: () => readonly { name: string; score: number | null; weight: number; detail: string }[];
  readonly measuredAt: () => string;
  readonly port: string | null;
  readonly records: () => number | null;
  readonly valid: () => number | null;
  readonly invalid: () => number | null;
  readonly checks: () => unknown;
}

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast, variables)),
});

function qualityOf(row: QualityRow): QualityView {
  return {
    score: row.score,
    grade: row.grade,
    dimensions: () => row.dimensions,
    measuredAt: () => iso(row.measured_at),
    port: row.port,
    records: () => row.records,
    valid: () => row.valid,
    invalid: () => row.invalid,
    checks: () => row.checks,
  };
}

/** Several ports' latest results as one: scores and dimensions averaged, measured as of the oldest of them. */
function combinedQuality(rows: readonly QualityRow[]): QualityView | null {
  if (rows.length === 0) return null;
  if (rows.length === 1) return qualityOf(rows[0]!);
  const mean = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : Math.round((10 * known.reduce((a, b) => a + b, 0)) / known.length) / 10;
  };
  const score = mean(rows.map((r) => r.score));
  const dimensions = () =>
    [...new Set(rows.flatMap((r) => r.dimensions.map((d) => d.name)))].map((name) => {
      const of = rows.flatMap((r) => r.dimensions.filter((d) => d.name === name));
      return { name, score: mean(of.map((d) => d.score)), weight: mean(of.map((d) => d.weight)) ?? 0, detail: `mean over ${of.length} ports: ${of.map((d) => d.detail).join('; ')}` };
    });
  const sum = (values: (number | null)[]) => (values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + b!, 0));
  return {
    score,
    grade: score === null ? null : grade(score),
    dimensions,
    measuredAt: () => rows.map((r) => iso(r.measured_at)).sort()[0]!,
    port: null,
    records: () => sum(rows.map((r) => r.records)),
    valid: () => sum(rows.map((r) => r.valid)),
    invalid: () => sum(rows.map((r) => r.invalid)),
    checks: () => rows.flatMap((r) => (Array.isArray(r.checks) ? r.checks.map((c: Record<string, unknown>) => ({ port: r.port, ...c })) : [])),
  };
}

const SEVERITY: Record<SlaStateName, number> = { MET: 0, UNKNOWN: 1, AT_RISK: 2, BREACHED: 3 };

function slaOf(row: SlaRow) {
  return {
    measuredAt: iso(row.measured_at),
    port: row.port,
    freshness: row.freshness,
    freshnessLagSeconds: row.freshness_lag_seconds,
    freshnessMaxSeconds: row.freshness_max_seconds,
    availability: row.availability,
    availabilityPercent: row.availability_percent,
    completeness: row.completeness,
    completenessPercent: row.completeness_percent,
    detail: row.detail,
  };
}

/** A product's SLA over its ports: each promise at its worst state, lag at its longest, percentages at their lowest. */
function combinedSla(rows: readonly SlaRow[]) {
  if (rows.length === 0) return null;
  if (rows.length === 1) return slaOf(rows[0]!);
  const worst = (pick: (r: SlaRow) => SlaStateName) => rows.map(pick).reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
  const extreme = (values: (number | null)[], f: (...v: number[]) => number) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : f(...known);
  };
  return {
    measuredAt: rows.map((r) => iso(r.measured_at)).sort()[0]!,
    port: null,
    freshness: worst((r) => r.freshness),
    freshnessLagSeconds: extreme(rows.map((r) => r.freshness_lag_seconds), Math.max),
    freshnessMaxSeconds: extreme(rows.map((r) => r.freshness_max_seconds), Math.min),
    availability: worst((r) => r.availability),
    availabilityPercent: extreme(rows.map((r) => r.availability_percent), Math.min),
    completeness: worst((r) => r.completeness),
    completenessPercent: extreme(rows.map((r) => r.completeness_percent), Math.min),
    detail: Object.fromEntries(rows.map((r) => [r.port ?? '', r.detail])),
  };
}

function requirePrincipal(context: GraphQLContext): Principal {
  if (!context.principal) throw new AuthenticationError('mutations need a bearer token (Authorization: Bearer <token>; see mesh token create)');
  return context.principal;
}

function datasetOf<N extends Omit<NodeRowRead, 'facets'>>(node: N | undefined) {
  return node && node.kind === 'dataset' ? node : null;
}

/** The field's lineage id in its port's dataset: `field:<ns>:<name>:<field>`. */
function fieldId(datasetKey: string | null, field: string): string | null {
  return datasetKey === null ? null : `field:${datasetKey.slice('dataset:'.length)}:${field}`;
}

/** What `Loaders.productDetail` reads at once; `runs`, `upstream` and the like have arguments of their own. */
const DETAIL_FIELDS = new Set(['inputs', 'outputs', 'consumers', 'versions', 'qualityScore', 'slaStatus']);

/** Whether a product field's selection asks for what the product page statement reads (fragments looked into). */
function selectsRelations(info: GraphQLResolveInfo): boolean {
  const look = (selections: readonly SelectionNode[], depth: number): boolean =>
    depth < 5 &&
    selections.some((s) =>
      s.kind === Kind.FIELD ? DETAIL_FIELDS.has(s.name.value)
      : s.kind === Kind.INLINE_FRAGMENT ? look(s.selectionSet.selections, depth + 1)
      : look(info.fragments[s.name.value]?.selectionSet.selections ?? [], depth + 1),
    );
  return info.fieldNodes.some((node) => look(node.selectionSet?.selections ?? [], 0));
}

/** Impact analysis: from the lineage read model when it is current, else on the database (the same answer). */
async function impactList(context: GraphQLContext, start: ImpactStart, depth: number, first: number): Promise<ImpactRow[]> {
  const graph = context.readModel?.lineageGraph();
  return (graph ? graph.impact(start, depth, first) : await impactOf(context.sql, start, depth, first)).rows;
}

/** A lineage walk: from the lineage read model when it is current, else on the database (the same answer). */
function graphFor(context: GraphQLContext, node: string, direction: Direction, depth: number, first: number) {
  const graph = context.readModel?.lineageGraph();
  return graph ? graph.walk(node, direction, depth, first) : walkLineage(context.sql, node, direction, depth, first);
}

/**
 * Discovery: from the search read model when it is current and can evaluate the query (phrases included), else on
 * the database (the same answer). The model is asked for after the search text's tsquery is known, so that a
 * write announced meanwhile is not missed.
 */
async function discover(context: GraphQLContext, filter: ProductFilter, first: number, offset: number): Promise<ProductSearch & { index?: SearchIndex }> {
  const model = context.readModel;
  if (model) {
    const text = filter.query?.trim() ? filter.query.trim() : null;
    const query = text === null ? undefined : await model.tsquery(text);
    const index = model.searchIndex();
    if (index && query !== null) return { ...index.search(query, filter, first, offset), index };
  }
  return searchProducts(context.sql, filter, first, offset);
}

/** A lineage node: from the lineage read model when it is current (without facets), else through the loader. */
function nodeOf(context: GraphQLContext, key: string): Omit<NodeRowRead, 'facets'> | undefined | Promise<NodeRowRead | undefined> {
  const graph = context.readModel?.lineageGraph();
  return graph ? graph.node(key) : context.loaders.node.load(key);
}

/** A node's facets: those it was read with, or (a walk's nodes, the read model's) read by the loader when asked for. */
async function facetsOf(context: GraphQLContext, node: NodeRowRead | Omit<NodeRowRead, 'facets'>): Promise<unknown> {
  if ('facets' in node && node.facets !== undefined) return node.facets;
  return (await context.loaders.node.load(node.key))?.facets ?? {};
}

/**
 * A product named by a search hit, a lineage node or an impact row: from the search index's rows when it is
 * current (`null` when it has no such product), else through the request's loader.
 */
function productOf(context: GraphQLContext, id: string): ProductRow | null | Promise<ProductRow | undefined> {
  const index = context.readModel?.searchIndex();
  return index ? (index.product(id) ?? null) : context.loaders.product.load(id);
}

/**
 * Wraps a resolver so that an argument sent as explicit `null` takes its schema default (`first: null` is a page of
 * the default size, not of none), as `limits.ts` measures it. Only fields with arguments pay for it, and only a
 * `null` argument costs a look at the schema.
 */
function nullMeansDefault(resolve: GraphQLFieldResolver<unknown, GraphQLContext>): GraphQLFieldResolver<unknown, GraphQLContext> {
  return (parent, args: Args, context, info: GraphQLResolveInfo) => {
    let fixed = args;
    for (const name in args) {
      if (args[name] !== null) continue;
      const arg = info.parentType.getFields()[info.fieldName]?.args.find((a) => a.name === name);
      if (arg?.defaultValue !== undefined) fixed = { ...fixed, [name]: arg.defaultValue };
    }
    return resolve(parent, fixed, context, info);
  };
}

/** Applies `nullMeansDefault` to every field resolver of a resolver map. */
function withDefaults<T extends Record<string, unknown>>(map: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [type, fields] of Object.entries(map)) {
    if (fields instanceof GraphQLScalarType || typeof fields !== 'object' || fields === null) {
      wrapped[type] = fields;
      continue;
    }
    wrapped[type] = Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => [name, nullMeansDefault(resolve as GraphQLFieldResolver<unknown, GraphQLContext>)]),
    );
  }
  return wrapped as T;
}

/** The resolvers of `typeDefs`. Lists of rows come through the request's loaders, so none costs a statement per parent. */
export const resolvers = withDefaults({
  JSON: JSONScalar,
  Query: {
    async products(_: unknown, args: Args, context: GraphQLContext) {
      const offset = decodeCursor(args['after']);
      const filter: ProductFilter = args;
      const result = await discover(context, filter, args['first'], offset);
      // Served by the search index, its rows are the nodes, and its latest quality results their scores, as of the
      // same version of the catalog.
      const edges = result.page.map((hit, i) => ({ cursor: encodeCursor(offset + i), rank: hit.rank, id: hit.id, row: result.index?.product(hit.id) }));
      for (const hit of result.index ? result.page : []) context.loaders.latestQuality.prime(hit.id, result.index!.latestQuality(hit.id));
      return {
        totalCount: result.totalCount,
        edges,
        pageInfo: { hasNextPage: offset + edges.length < result.totalCount, endCursor: edges.at(-1)?.cursor ?? null },
        facets: result.facets,
      };
    },
    // A product page (anything beyond the product's own columns) comes from the read model when it is current
    // for this product, else is read in one statement; a lookup reads one row.
    product: (_: unknown, args: Args, context: GraphQLContext, info: GraphQLResolveInfo) => {
      if (!selectsRelations(info)) return context.loaders.product.load(args['id']);
      const served = context.readModel?.productPage(args['id']);
      if (served === undefined) return context.loaders.productDetail.load(args['id']);
      return served === null ? null : context.loaders.primePage(served);
    },
    lineage: (_: unknown, args: Args, context: GraphQLContext) => graphFor(context, args['node'], args['direction'], args['depth'], args['first']),
    impact: (_: unknown, args: Args, context: GraphQLContext) => impactList(context, { node: args['node'] }, args['depth'], args['first']),
    async fields(_: unknown, args: Args, context: GraphQLContext) {
      const offset = decodeCursor(args['after']);
      const { totalCount, hits } = await searchFields(context.sql, args, args['first'], offset);
      const edges = hits.map((hit, i) => ({ cursor: encodeCursor(offset + i), node: hit }));
      return { totalCount, edges, pageInfo: { hasNextPage: offset + edges.length < totalCount, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    async domains(_: unknown, _args: Args, context: GraphQLContext) {
      const { rows } = await context.sql.query<{ name: string; count: number }>('select domain as name, count(*)::int as count from products group by domain order by domain', []);
      return rows.map((r) => ({ name: r.name, productCount: r.count }));
    },
    async teams(_: unknown, _args: Args, context: GraphQLContext) {
      const { rows } = await context.sql.query<{ name: string }>('select distinct owner_team as name from products order by owner_team', []);
      return rows;
    },
    async team(_: unknown, args: Args, context: GraphQLContext) {
      const products = await context.loaders.productsByTeam.load(args['name']);
      return products.length === 0 ? null : { name: args['name'] };
    },
    dataset: async (_: unknown, args: Args, context: GraphQLContext) => datasetOf(await context.loaders.node.load(args['id'])),
    node: (_: unknown, args: Args, context: GraphQLContext) => context.loaders.node.load(args['id']),
  },
  Mutation: {
    publish: (_: unknown, args: Args, context: GraphQLContext) => context.store.publish(args['bundle'], requirePrincipal(context)),
    recordQualityResult: async (_: unknown, args: Args, context: GraphQLContext) => String(await context.store.recordQualityResult(args['input'], requirePrincipal(context))),
    recordSlaStatus: async (_: unknown, args: Args, context: GraphQLContext) => String(await context.store.recordSlaStatus(args['input'], requirePrincipal(context))),
  },
  ProductEdge: {
    node: (edge: { id: string; row: ProductRow | undefined }, _: Args, context: GraphQLContext) => edge.row ?? context.loaders.product.load(edge.id),
  },
  DataProduct: {
    apiVersion: (p: ProductRow) => p.manifest.apiVersion,
    kind: (p: ProductRow) => p.manifest.kind,
    sunset: (p: ProductRow) => p.manifest.sunset ?? null,
    replacedById: (p: ProductRow) => p.manifest.replacedBy ?? null,
    replacedBy: (p: ProductRow, _: Args, context: GraphQLContext) => (p.manifest.replacedBy === undefined ? null : context.loaders.product.load(p.manifest.replacedBy)),
    owner: (p: ProductRow) => ({ team: p.owner_team, email: p.owner_email, name: p.manifest.owner?.name ?? null, slack: p.manifest.owner?.slack ?? null }),
    team: (p: ProductRow) => ({ name: p.owner_team }),
    links: (p: ProductRow) => p.manifest.links ?? null,
    sla: (p: ProductRow) => {
      const sla = p.manifest.sla;
      if (!sla) return null;
      return {
        freshnessMax: sla.freshness?.max ?? null,
        freshnessColumn: sla.freshness?.column ?? null,
        availability: sla.availability ?? null,
        completeness: sla.completeness ?? null,
        latency: sla.latency ?? null,
      };
    },
    quality: (p: ProductRow) => p.manifest.quality ?? null,
    scoring: (p: ProductRow) => p.manifest.scoring ?? null,
    pipeline: (p: ProductRow) => p.manifest.pipeline ?? null,
    publishedAt: (p: ProductRow) => iso(p.created_at),
    updatedAt: (p: ProductRow) => iso(p.updated_at),
    inputs: (p: ProductRow, _: Args, context: GraphQLContext) => context.loaders.inputs.load(p.id),
    outputs: (p: ProductRow, _: Args, context: GraphQLContext) => context.loaders.ports.load(p.id),
    consumers: (p: ProductRow, _: Args, context: GraphQLContext) => context.loaders.consumers.load(p.id),
    versions: async (p: ProductRow, args: Args, context: GraphQLContext) => (await context.loaders.productVersions.load(p.id)).slice(0, args['first']),
    upstream: (p: ProductRow, args: Args, context: GraphQLContext) => graphFor(context, `product:${p.id}`, 'UPSTREAM', args['depth'], args['first']),
    downstream: (p: ProductRow, args: Args, context: GraphQLContext) => graphFor(context, `product:${p.id}`, 'DOWNSTREAM', args['depth'], args['first']),
    impact: (p: ProductRow, args: Args, context: GraphQLContext) => impactList(context, { product: p.id, port: args['port'], field: args['field'] }, args['depth'], args['first']),
    runs: (p: ProductRow, args: Args, context: GraphQLContext) => context.loaders.runs(args['first']).load(p.id),
    qualityScore: async (p: ProductRow, _: Args, context: GraphQLContext) => combinedQuality(await context.loaders.latestQuality.load(p.id)),
    qualityHistory: async (p: ProductRow, args: Args, context: GraphQLContext) => (await context.loaders.qualityHistory(args['port'] ?? null, args['first']).load(p.id)).map(qualityOf),
    slaStatus: async (p: ProductRow, _: Args, context: GraphQLContext) => combinedSla(await context.loaders.latestSla.load(p.id)),
  },
  InputPort: {
    product: (i: InputRow, _: Args, context: GraphQLContext) => (i.upstream_product === null ? null : productOf(context, i.upstream_product)),
    productId: (i: InputRow) => i.upstream_product,
    port: (i: InputRow) => i.upstream_port,
    dataset: async (i: InputRow, _: Args, context: GraphQLContext) => (i.dataset_key === null ? null : datasetOf(await nodeOf(context, i.dataset_key))),
  },
  OutputPort: {
    dataset: async (o: PortRow, _: Args, context: GraphQLContext) => (o.dataset_key === null ? null : datasetOf(await nodeOf(context, o.dataset_key))),
    contract: (o: PortRow, _: Args, context: GraphQLContext) => context.loaders.contract.load(o.contract_path),
    qualityScore: async (o: PortRow, _: Args, context: GraphQLContext) => {
      const row = (await context.loaders.latestQuality.load(o.product_id)).find((r) => r.port === o.name);
      return row ? qualityOf(row) : null;
    },
    slaStatus: async (o: PortRow, _: Args, context: GraphQLContext) => {
      const row = (await context.loaders.latestSla.load(o.product_id)).find((r) => r.port === o.name);
      return row ? slaOf(row) : null;
    },
  },
  Contract: {
    schema: async (c: ContractRow, _: Args, context: GraphQLContext) => ('schema' in c ? c.schema : (await context.loaders.contractSchema.load(c.path))?.schema),
    owner: (c: ContractRow) => c.owner_team,
    fields: (c: ContractRow, _: Args, context: GraphQLContext) => context.loaders.contractFields.load(c.path),
    versions: async (c: ContractRow, args: Args, context: GraphQLContext) => (await context.loaders.contractVersions.load(c.path)).slice(0, args['first']),
  },
  ContractField: {
    primaryKey: (f: FieldRow) => f.primary_key,
    unique: (f: FieldRow) => f.is_unique,
  },
  ContractVersion: {
    publishedAt: (v: ContractVersionRow) => iso(v.published_at),
    publishedBy: (v: ContractVersionRow) => v.published_by,
    changes: (v: ContractVersionRow) => (Array.isArray(v.changes) ? v.changes : null),
  },
  ProductVersion: {
    publishedAt: (v: ProductVersionRow) => iso(v.published_at),
    publishedBy: (v: ProductVersionRow) => v.published_by,
    contracts: (v: ProductVersionRow) => Object.entries(v.contracts).map(([port, c]) => ({ port, path: c.path, version: c.version, seq: c.seq ?? null })),
  },
  PortContractVersion: {
    contractVersion: async (c: { path: string; seq: number | null }, _: Args, context: GraphQLContext) =>
      c.seq === null ? null : ((await context.loaders.contractVersions.load(c.path)).find((v) => v.seq === c.seq) ?? null),
  },
  Consumer: {
    product: (i: InputRow, _: Args, context: GraphQLContext) => productOf(context, i.product_id),
    port: (i: InputRow) => i.upstream_port,
    team: async (i: InputRow, _: Args, context: GraphQLContext) => ({ name: (await productOf(context, i.product_id))!.owner_team }),
  },
  // The computed parts of a score, called only when selected (the executor reads plain properties).
  QualityScore: {
    dimensions: (q: QualityView) => q.dimensions(),
    measuredAt: (q: QualityView) => q.measuredAt(),
    records: (q: QualityView) => q.records(),
    valid: (q: QualityView) => q.valid(),
    invalid: (q: QualityView) => q.invalid(),
    checks: (q: QualityView) => q.checks(),
  },
  Run: {
    id: (r: RunRowRead) => r.run_id,
    job: (r: RunRowRead) => r.job_key,
    startedAt: (r: RunRowRead) => (r.started_at === null ? null : iso(r.started_at)),
    endedAt: (r: RunRowRead) => (r.ended_at === null ? null : iso(r.ended_at)),
    updatedAt: (r: RunRowRead) => iso(r.last_event_at),
    errorMessage: (r: RunRowRead) => r.error_message,
  },
  Domain: {
    products: (d: { name: string }, _: Args, context: GraphQLContext) => context.loaders.productsByDomain.load(d.name),
    teams: async (d: { name: string }, _: Args, context: GraphQLContext) =>
      [...new Set((await context.loaders.productsByDomain.load(d.name)).map((p) => p.owner_team))].sort().map((name) => ({ name })),
  },
  Team: {
    products: (t: { name: string }, _: Args, context: GraphQLContext) => context.loaders.productsByTeam.load(t.name),
    domains: async (t: { name: string }, _: Args, context: GraphQLContext) => [...new Set((await context.loaders.productsByTeam.load(t.name)).map((p) => p.domain))].sort(),
  },
  Dataset: {
    id: (d: NodeRowRead) => d.key,
    facets: (d: NodeRowRead, _: Args, context: GraphQLContext) => facetsOf(context, d),
    product: (d: NodeRowRead, _: Args, context: GraphQLContext) => (d.product_id === null ? null : context.loaders.product.load(d.product_id)),
  },
  LineageNode: {
    id: (n: NodeRowRead) => n.key,
    facets: (n: NodeRowRead, _: Args, context: GraphQLContext) => facetsOf(context, n),
    distance: (n: NodeRowRead | LineageNodeRead) => ('distance' in n ? n.distance : null),
    product: (n: NodeRowRead, _: Args, context: GraphQLContext) => (n.product_id === null ? null : productOf(context, n.product_id)),
  },
  LineageEdge: {
    via: (e: { via: string }) => (e.via === '' ? null : e.via),
  },
  ImpactedProduct: {
    product: (i: ImpactRow, _: Args, context: GraphQLContext) => productOf(context, i.product_id),
    // No promise when the search index has the product (an analysis lists dozens of rows).
    team: (i: ImpactRow, _: Args, context: GraphQLContext) => {
      const product = productOf(context, i.product_id);
      return product instanceof Promise ? product.then((p) => ({ name: p!.owner_team })) : { name: product!.owner_team };
    },
    fieldLevel: (i: ImpactRow) => i.field_level,
  },
  FieldMatch: {
    id: (h: FieldHit) => fieldId(h.dataset_key, h.name),
    field: (h: FieldHit) => h,
    contract: (h: FieldHit) => h.contract_path,
    product: (h: FieldHit, _: Args, context: GraphQLContext) => (h.product_id === null ? null : context.loaders.product.load(h.product_id)),
  },
});
