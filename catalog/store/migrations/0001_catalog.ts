import type { Migration } from './Migration.js';

/**
 * The catalog schema. Node ids follow Marquez (`product:<id>`, `dataset:<namespace>:<name>`,
 * `job:<namespace>:<name>`, `field:<namespace>:<name>:<field>`) and are the keys of `lineage_nodes`, so that a
 * lineage walk is one recursive CTE over `lineage_edges` from the id a client sends.
 *
 * Ingestion merges like a join-semilattice: every derived write (node facets, run state, edges) keeps the
 * maximum of a stamp `<ISO time>|<event hash>`, so events may arrive in any order, and any number of times,
 * with the same result. A write that changes nothing is skipped (`where ... is distinct from ...`).
 */
export const migration: Migration = {
  version: 1,
  name: 'catalog',
  sql: /* sql */ `
-- Facets merged key by key: the value with the greatest stamp wins. Stamps are fixed-width text
-- ("2026-11-26T10:00:00.000Z|<sha256>"), compared bytewise.
create function mesh_merge_facets(cur jsonb, cur_stamps jsonb, inc jsonb, inc_stamps jsonb) returns jsonb
language sql immutable parallel safe as $$
  select coalesce(jsonb_object_agg(k,
           case when coalesce(inc_stamps ->> k, '') collate "C" > coalesce(cur_stamps ->> k, '') collate "C"
                then inc -> k else cur -> k end), '{}'::jsonb)
  from (select jsonb_object_keys(cur) union select jsonb_object_keys(inc)) as keys(k)
$$;

create function mesh_merge_stamps(cur_stamps jsonb, inc_stamps jsonb) returns jsonb
language sql immutable parallel safe as $$
  select coalesce(jsonb_object_agg(k,
           greatest(coalesce(inc_stamps ->> k, '') collate "C", coalesce(cur_stamps ->> k, '') collate "C")), '{}'::jsonb)
  from (select jsonb_object_keys(cur_stamps) union select jsonb_object_keys(inc_stamps)) as keys(k)
$$;

-- Every node of the lineage graph. Datasets, jobs and fields live here (the views below name them); products
-- have a node too, so that one edge table links everything.
create table lineage_nodes (
  key          text primary key,
  kind         text not null check (kind in ('product', 'dataset', 'job', 'field')),
  namespace    text,
  name         text not null,
  field        text,
  dataset_key  text,
  product_id   text,
  port         text,
  facets       jsonb not null default '{}',
  facet_stamps jsonb not null default '{}',
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
) with (fillfactor = 70);
create index lineage_nodes_kind_name on lineage_nodes (kind, namespace, name);
create index lineage_nodes_product on lineage_nodes (product_id) where product_id is not null;
create index lineage_nodes_dataset on lineage_nodes (dataset_key) where dataset_key is not null;

create view datasets as
  select key, namespace, name, product_id, port, facets, created_at, updated_at from lineage_nodes where kind = 'dataset';
create view jobs as
  select key, namespace, name, facets, created_at, updated_at from lineage_nodes where kind = 'job';
create view dataset_fields as
  select key, namespace, name, field, dataset_key, created_at from lineage_nodes where kind = 'field';

-- Edges point the way data flows. reads: dataset -> job; writes: job -> dataset; derives: field -> field (or
-- field -> dataset for columnLineage's dataset-wide dependencies); publishes: product -> dataset of a port;
-- consumes: external dataset -> product; feeds: product -> product through a port (via = the port).
-- declared_by names the product whose manifest declared the edge (republishing replaces them); observed edges
-- from OpenLineage events have none, and keep the stamp (and detail) of the earliest event that showed them.
create table lineage_edges (
  source      text not null references lineage_nodes (key),
  target      text not null references lineage_nodes (key),
  kind        text not null check (kind in ('reads', 'writes', 'derives', 'publishes', 'consumes', 'feeds')),
  via         text not null default '',
  declared_by text,
  detail      jsonb,
  first_stamp text,
  created_at  timestamptz not null default now(),
  primary key (source, kind, target, via)
);
create index lineage_edges_target on lineage_edges (target, kind, source);
create index lineage_edges_declared on lineage_edges (declared_by) where declared_by is not null;

-- Published data products: the current manifest, flattened for search and facets.
create table products (
  id           text primary key,
  name         text not null,
  domain       text not null,
  description  text not null,
  status       text not null,
  layer        text not null,
  pattern      text not null,
  version      text not null,
  owner_team   text not null,
  owner_email  text,
  tags         text[] not null default '{}',
  manifest     jsonb not null,
  file         text not null,
  content_hash bytea not null,
  current_seq  integer not null,
  search       tsvector not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index products_search on products using gin (search);
create index products_tags on products using gin (tags);
create index products_domain on products (domain);
create index products_owner on products (owner_team);
create index products_layer on products (layer);
create index products_status on products (status);

-- Every published content of a product: seq counts publications that changed something (1, 2, ...);
-- version is the manifest's own semver.
create table product_versions (
  product_id   text not null references products (id) on delete cascade,
  seq          integer not null,
  version      text not null,
  content_hash bytea not null,
  manifest     jsonb not null,
  contracts    jsonb not null,
  published_at timestamptz not null default now(),
  published_by text,
  primary key (product_id, seq)
);

-- Contracts by repository path, with their history. changes holds the classified changes from the previous
-- version ({code, pointer, backward, forward, message}); null when no compatibility engine was configured
-- when the version was published.
create table contracts (
  path         text primary key,
  owner_team   text not null,
  version      text,
  title        text,
  description  text,
  schema       jsonb not null,
  documents    jsonb not null,
  fields       jsonb not null,
  content_hash bytea not null,
  current_seq  integer not null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

create table contract_versions (
  contract_path text not null references contracts (path) on delete cascade,
  seq           integer not null,
  version       text,
  content_hash  bytea not null,
  schema        jsonb not null,
  documents     jsonb not null,
  fields        jsonb not null,
  changes       jsonb,
  published_at  timestamptz not null default now(),
  published_by  text,
  primary key (contract_path, seq)
);

-- The top-level fields of each contract's current version, for field search ("every PII field like email").
create table contract_fields (
  contract_path  text not null references contracts (path) on delete cascade,
  name           text not null,
  position       integer not null,
  type           text,
  nullable       boolean not null,
  required       boolean not null,
  format         text,
  description    text,
  pii            boolean not null,
  classification text,
  primary_key    boolean not null,
  is_unique      boolean not null,
  search         tsvector not null,
  primary key (contract_path, name)
);
create index contract_fields_search on contract_fields using gin (search);
create index contract_fields_name on contract_fields (lower(name) text_pattern_ops);
create index contract_fields_pii on contract_fields (contract_path) where pii;

-- Output ports of the current manifests.
create table ports (
  product_id    text not null references products (id) on delete cascade,
  name          text not null,
  position      integer not null,
  description   text,
  contract_path text not null references contracts (path),
  compatibility text not null,
  status        text not null,
  dataset_key   text references lineage_nodes (key),
  primary key (product_id, name)
);
create index ports_contract on ports (contract_path);
create index ports_dataset on ports (dataset_key) where dataset_key is not null;

-- Inputs of the current manifests: an upstream product's port (which may not be published yet), or an
-- external dataset.
create table product_inputs (
  product_id       text not null references products (id) on delete cascade,
  position         integer not null,
  upstream_product text,
  upstream_port    text,
  dataset_key      text references lineage_nodes (key),
  fields           text[],
  description      text,
  primary key (product_id, position)
);
create index product_inputs_upstream on product_inputs (upstream_product, upstream_port);
create index product_inputs_dataset on product_inputs (dataset_key) where dataset_key is not null;

-- Raw OpenLineage events as received. event_hash (sha-256 of the canonical JSON) is the event's identity:
-- the same event twice is stored once.
create table lineage_events (
  id           bigint generated always as identity primary key,
  event_hash   bytea not null,
  kind         text not null check (kind in ('run', 'job', 'dataset')),
  event_type   text,
  event_time   timestamptz not null,
  run_id       uuid,
  job_key      text,
  dataset_key  text,
  producer     text not null,
  payload      jsonb not null,
  received_at  timestamptz not null default now(),
  received_by  text
);
create unique index lineage_events_hash on lineage_events (event_hash);

create index lineage_events_run on lineage_events (run_id, event_time) where run_id is not null;
create index lineage_events_job on lineage_events (job_key, event_time) where job_key is not null;

-- Runs and their state machine: START < RUNNING < COMPLETE | FAIL | ABORT by rank; within a rank the greatest
-- stamp wins. OTHER events (rank 0) change facets only.
create table runs (
  run_id         uuid primary key,
  job_key        text not null references lineage_nodes (key),
  state          text not null check (state in ('OTHER', 'START', 'RUNNING', 'COMPLETE', 'FAIL', 'ABORT')),
  state_rank     smallint not null,
  state_stamp    text not null,
  state_time     timestamptz not null,
  started_at     timestamptz,
  ended_at       timestamptz,
  first_event_at timestamptz not null,
  last_event_at  timestamptz not null,
  parent_run_id  uuid,
  nominal_start  timestamptz,
  nominal_end    timestamptz,
  error_message  text,
  facets         jsonb not null default '{}',
  facet_stamps   jsonb not null default '{}',
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
) with (fillfactor = 70);
create index runs_job on runs (job_key, first_event_at desc);
create index runs_parent on runs (parent_run_id) where parent_run_id is not null;

-- Results of data tests (mesh test) per output port.
create table quality_results (
  id          bigint generated always as identity primary key,
  product_id  text not null references products (id) on delete cascade,
  port        text not null,
  run_id      uuid,
  measured_at timestamptz not null,
  score       double precision check (score between 0 and 100),
  grade       text check (grade in ('A', 'B', 'C', 'D', 'F')),
  records     bigint,
  valid       bigint,
  invalid     bigint,
  dimensions  jsonb not null default '[]',
  checks      jsonb not null default '[]',
  metrics     jsonb not null default '{}',
  recorded_at timestamptz not null default now(),
  recorded_by text
);
create index quality_results_port on quality_results (product_id, port, measured_at desc);

-- SLA status as measured, per product (port null) or per port.
create table sla_status (
  id                    bigint generated always as identity primary key,
  product_id            text not null references products (id) on delete cascade,
  port                  text,
  measured_at           timestamptz not null,
  freshness_lag_seconds double precision,
  freshness_max_seconds double precision,
  freshness             text not null check (freshness in ('MET', 'AT_RISK', 'BREACHED', 'UNKNOWN')),
  availability_percent  double precision,
  availability          text not null check (availability in ('MET', 'AT_RISK', 'BREACHED', 'UNKNOWN')),
  completeness_percent  double precision,
  completeness          text not null check (completeness in ('MET', 'AT_RISK', 'BREACHED', 'UNKNOWN')),
  detail                jsonb not null default '{}',
  recorded_at           timestamptz not null default now(),
  recorded_by           text
);
create index sla_status_product on sla_status (product_id, port, measured_at desc);

-- Bearer tokens: only a sha-256 of the token is kept; prefix shows which token a row is.
create table api_tokens (
  id          bigint generated always as identity primary key,
  team        text not null,
  token_hash  bytea not null,
  prefix      text not null,
  description text,
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);
create unique index api_tokens_hash on api_tokens (token_hash);
create index api_tokens_team on api_tokens (team);

-- Every write, by whom and when. Append-only: a trigger refuses updates and deletes.
create table audit_log (
  id        bigint generated always as identity primary key,
  at        timestamptz not null default now(),
  team      text,
  token_id  bigint,
  principal text not null,
  action    text not null,
  target    text not null,
  detail    jsonb not null default '{}'
);
create index audit_log_at on audit_log (at desc);
create index audit_log_team on audit_log (team, at desc);
create index audit_log_target on audit_log (target, at desc);

create function mesh_audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each statement execute function mesh_audit_log_append_only();

-- Documents (payloads, facets, manifests, schemas) and search vectors are compressed with lz4 where the server
-- has it: several times cheaper to write than the default pglz, for every event and every publication. PGlite
-- has not, and keeps the default.
do $$
declare
  c record;
begin
  for c in
    select table_name, column_name from information_schema.columns
     where table_schema = current_schema() and data_type in ('jsonb', 'tsvector')
       and table_name in ('lineage_nodes', 'lineage_edges', 'products', 'product_versions', 'contracts', 'contract_versions',
                          'contract_fields', 'lineage_events', 'runs', 'quality_results', 'sla_status', 'audit_log')
  loop
    execute format('alter table %I alter column %I set compression lz4', c.table_name, c.column_name);
  end loop;
exception when feature_not_supported or invalid_parameter_value then
  null;
end
$$;
`,
};
