/**
 * The catalog's GraphQL schema. DESIGN.md ("Catalog") fixes the minimum (`products`, `product`, `lineage`,
 * `domains`, and the fields of `DataProduct`); the rest is what a DataHub or Backstage user looks for: teams and
 * what they own, field search across contracts, impact analysis, quality history, datasets and jobs.
 *
 * Lists that can grow take `first` (at most `MAX_PAGE_SIZE`, see `limits.ts`); a larger value is refused, never
 * silently clamped.
 */
export const typeDefs = /* GraphQL */ `
"""Any JSON value: a manifest, facets, check results."""
scalar JSON

"""Medallion layer: bronze = raw, silver = cleaned and validated, gold = business-ready."""
enum Layer { bronze silver gold }

"""Lifecycle status of a data product."""
enum Status { draft active deprecated retired }

"""Which way a lineage walk goes from its start node."""
enum Direction { UPSTREAM DOWNSTREAM BOTH }

"""How an SLA promise stands."""
enum SlaState { MET AT_RISK BREACHED UNKNOWN }

"""The kinds of lineage nodes; ids are product:<id>, dataset:<ns>:<name>, job:<ns>:<name>, field:<ns>:<name>:<field>."""
enum NodeKind { product dataset job field }

type Query {
  """
  Discovery. query is full-text search (websearch syntax: words, "phrases", -exclusions, or) over names,
  descriptions, tags, contract field names and their descriptions, ranked, with the latest quality score as the
  tie-break. Without a query, products come by quality, then id. Facets count the whole filtered result.
  """
  products(query: String, domain: String, owner: String, tag: String, layer: Layer, status: Status,
           first: Int = 20, after: String): ProductConnection!
  product(id: ID!): DataProduct
  """Lineage around a node (product, dataset, job or field), at most depth hops (max 10), at most first nodes (max 500)."""
  lineage(node: ID!, direction: Direction = BOTH, depth: Int = 3, first: Int = 100): LineageGraph!
  """Every product downstream of a product, a port's dataset (dataset:...) or a contract field (field:...), with its owning team and distance."""
  impact(node: ID!, depth: Int = 10, first: Int = 100): [ImpactedProduct!]!
  """Contract fields across the mesh, e.g. every PII field named like "email"."""
  fields(query: String, pii: Boolean, classification: String, first: Int = 20, after: String): FieldConnection!
  domains: [Domain!]!
  teams: [Team!]!
  team(name: ID!): Team
  dataset(id: ID!): Dataset
  """Any lineage node by its id."""
  node(id: ID!): LineageNode
}

type Mutation {
  """Publishes a PublishBundle (what mesh publish sends); the token's team publishes only its own products."""
  publish(bundle: JSON!): PublishResult!
  """Records a data test result for a port of one of the token team's products; returns its id."""
  recordQualityResult(input: JSON!): ID!
  """Records an SLA status for one of the token team's products (or one of its ports); returns its id."""
  recordSlaStatus(input: JSON!): ID!
}

type PublishResult {
  products: [PublishedItem!]!
  contracts: [PublishedItem!]!
  warnings: [String!]!
}

type PublishedItem {
  id: ID!
  action: String!
  seq: Int!
  version: String
}

type PageInfo {
  hasNextPage: Boolean!
  endCursor: String
}

type ProductConnection {
  totalCount: Int!
  edges: [ProductEdge!]!
  pageInfo: PageInfo!
  facets: ProductFacets!
}

type ProductEdge {
  cursor: String!
  node: DataProduct!
  """Full-text rank of the match; null without a query."""
  rank: Float
}

type FacetCount {
  value: String!
  count: Int!
}

type ProductFacets {
  domain: [FacetCount!]!
  layer: [FacetCount!]!
  owner: [FacetCount!]!
  tag: [FacetCount!]!
  status: [FacetCount!]!
}

type Owner {
  team: String!
  email: String
  name: String
  slack: String
}

type DataProduct {
  id: ID!
  apiVersion: String!
  kind: String!
  name: String!
  domain: String!
  version: String!
  status: Status!
  """Date after which a deprecated product is retired."""
  sunset: String
  """The product that replaces this one (its id, and the product when published)."""
  replacedById: ID
  replacedBy: DataProduct
  description: String!
  owner: Owner!
  """The owning team, with what else it owns."""
  team: Team!
  tags: [String!]!
  layer: Layer!
  pattern: String!
  links: JSON
  sla: Sla
  """The manifest's quality checks, as declared."""
  quality: JSON
  scoring: JSON
  pipeline: JSON
  """The whole manifest, as published."""
  manifest: JSON!
  """Repository path of the manifest file."""
  file: String!
  publishedAt: String!
  updatedAt: String!
  inputs: [InputPort!]!
  outputs: [OutputPort!]!
  """Products whose manifests declare one of this product's ports as an input."""
  consumers: [Consumer!]!
  versions(first: Int = 20): [ProductVersion!]!
  upstream(depth: Int = 3, first: Int = 100): LineageGraph!
  downstream(depth: Int = 3, first: Int = 100): LineageGraph!
  """Downstream products, at field level when a port and field are given and column lineage is known."""
  impact(port: String, field: String, depth: Int = 10, first: Int = 100): [ImpactedProduct!]!
  """Runs of the product's jobs (pipeline runs and data tests), newest first."""
  runs(first: Int = 10): [Run!]!
  """The latest quality score: one port's, or for several ports the mean of each port's latest."""
  qualityScore: QualityScore
  qualityHistory(port: String, first: Int = 20): [QualityScore!]!
  """The latest SLA status of the product (over its ports: the worst state of each promise)."""
  slaStatus: SlaStatus
}

type Sla {
  freshnessMax: String
  freshnessColumn: String
  availability: Float
  completeness: Float
  latency: String
}

type InputPort {
  """The upstream product, when the input is a product's port (null when not published yet)."""
  product: DataProduct
  productId: ID
  port: String
  """The external dataset read, when the input is one."""
  dataset: Dataset
  """Fields the product reads (null: all)."""
  fields: [String!]
  description: String
}

type OutputPort {
  name: String!
  description: String
  compatibility: String!
  status: String!
  dataset: Dataset
  contract: Contract!
  qualityScore: QualityScore
  slaStatus: SlaStatus
}

type Contract {
  path: ID!
  version: String
  title: String
  description: String
  owner: String!
  schema: JSON!
  fields: [ContractField!]!
  versions(first: Int = 20): [ContractVersion!]!
}

type ContractField {
  name: String!
  type: String
  required: Boolean!
  nullable: Boolean!
  pii: Boolean!
  classification: String
  description: String
  format: String
  primaryKey: Boolean!
  unique: Boolean!
}

type ContractVersion {
  seq: Int!
  version: String
  publishedAt: String!
  publishedBy: String
  """Classified changes from the version before; null when not computed (no compatibility engine at publish time)."""
  changes: [ContractChange!]
}

type ContractChange {
  code: String!
  pointer: String!
  backward: Boolean!
  forward: Boolean!
  message: String!
}

type ProductVersion {
  seq: Int!
  version: String!
  publishedAt: String!
  publishedBy: String
  manifest: JSON!
  """Per output port, the contract version this product version was published with."""
  contracts: [PortContractVersion!]!
}

type PortContractVersion {
  port: String!
  path: String!
  version: String
  seq: Int
  """The contract version, with its classified changes."""
  contractVersion: ContractVersion
}

type Consumer {
  product: DataProduct!
  """The port of this product it reads."""
  port: String
  fields: [String!]
  team: Team!
}

type Run {
  id: ID!
  job: String!
  state: String!
  startedAt: String
  endedAt: String
  updatedAt: String!
  errorMessage: String
  facets: JSON!
}

type QualityDimension {
  name: String!
  score: Float
  weight: Float!
  detail: String!
}

type QualityScore {
  score: Float
  grade: String
  dimensions: [QualityDimension!]!
  measuredAt: String!
  """The port measured; null for a product's combined score."""
  port: String
  records: Float
  valid: Float
  invalid: Float
  checks: JSON
}

type SlaStatus {
  measuredAt: String!
  port: String
  freshness: SlaState!
  freshnessLagSeconds: Float
  freshnessMaxSeconds: Float
  availability: SlaState!
  availabilityPercent: Float
  completeness: SlaState!
  completenessPercent: Float
  detail: JSON
}

type Domain {
  name: ID!
  productCount: Int!
  products: [DataProduct!]!
  teams: [Team!]!
}

type Team {
  name: ID!
  products: [DataProduct!]!
  domains: [String!]!
}

type Dataset {
  id: ID!
  namespace: String!
  name: String!
  """The product that publishes it, if any."""
  product: DataProduct
  port: String
  facets: JSON!
}

type LineageNode {
  id: ID!
  kind: NodeKind!
  namespace: String
  name: String!
  field: String
  """Hops from the start node."""
  distance: Int
  """For a product node, or a dataset a product publishes."""
  product: DataProduct
}

type LineageEdge {
  source: ID!
  target: ID!
  kind: String!
  """The port a feeds or publishes edge goes through."""
  via: String
}

type LineageGraph {
  nodes: [LineageNode!]!
  edges: [LineageEdge!]!
  """True when depth or the node cap cut the walk short."""
  truncated: Boolean!
}

type ImpactedProduct {
  product: DataProduct!
  team: Team!
  """Hops between products (1 = a direct consumer)."""
  distance: Int!
  """Fields of the impacted product affected, when column lineage or declared input fields tell."""
  fields: [String!]!
  """Whether the impact is known at field level."""
  fieldLevel: Boolean!
}

type FieldConnection {
  totalCount: Int!
  edges: [FieldEdge!]!
  pageInfo: PageInfo!
}

type FieldEdge {
  cursor: String!
  node: FieldMatch!
}

type FieldMatch {
  """The lineage id of the field in its port's dataset, when the port names one."""
  id: ID
  field: ContractField!
  contract: String!
  product: DataProduct
  port: String
}
`;
