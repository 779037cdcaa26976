import { Readable } from 'node:stream';
import type { DerivedRows, IngestBatch } from '../ingest/IngestBatch.js';
import { ConflictError } from '../../platform/errors.js';
import { retryTransient } from './retryTransient.js';
import { sqlStateOf } from './translateDatabaseError.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';

/**
 * Whether every incoming stamp is greater than every stored one: the usual case, a node or run reported again by
 * a later event. Then each incoming facet wins and the per-key merge needs no look at the stored facets. A
 * jsonpath filter (no set-returning function, so no tuplestore per row); jsonpath compares strings by code
 * point, as `collate "C"` does.
 */
const allNewer = (stored: string, incoming: string) => `not jsonb_path_exists(${incoming}, '$.* ? (@ <= $s.*)', jsonb_build_object('s', ${stored}))`;

/** Whether some incoming stamp is greater than the stored stamp of its key: the merge would change something. */
const anyNewer = (stored: string, incoming: string) =>
  `exists (select 1 from jsonb_each_text(${incoming}) as s(k, v) where s.v collate "C" > coalesce(${stored} ->> s.k, '') collate "C")`;

/**
 * The facet merge of migration 0001 (`mesh_merge_facets`: per key, the greatest stamp wins), in three tiers by
 * cost. When every incoming stamp is newer: the incoming facets alone if they name every stored key (the stored
 * facets are not even read), else the stored facets overwritten by the incoming ones (`||`). Otherwise
 * (an event arriving out of order) the per-key merge.
 */
function mergedFacets(row: string): { facets: string; stamps: string; changes: string } {
  const [facets, stamps, newFacets, newStamps] = [`${row}.facets`, `${row}.facet_stamps`, 'excluded.facets', 'excluded.facet_stamps'];
  const newer = allNewer(stamps, newStamps);
  return {
    facets: `case when ${newer}
      then case when (${stamps} || ${newStamps}) = ${newStamps} then ${newFacets} else ${facets} || ${newFacets} end
      else mesh_merge_facets(${facets}, ${stamps}, ${newFacets}, ${newStamps}) end`,
    stamps: `case when ${newer} then ${stamps} || ${newStamps} else mesh_merge_stamps(${stamps}, ${newStamps}) end`,
    // Evaluated left to right: the cheap test settles the usual case. No incoming facets change nothing.
    changes: `((${newStamps} <> '{}'::jsonb and ${newer}) or ${anyNewer(stamps, newStamps)})`,
  };
}

const nodeFacets = mergedFacets('n');
const runFacets = mergedFacets('r');
const runWins = `(excluded.state_rank, excluded.state_stamp collate "C") > (r.state_rank, r.state_stamp collate "C")`;

/**
 * Where the derived rows' facets that stand whole in an event are read from, by path (`#>` walks without copying
 * on the way): the statement's own parameter (the one-statement path, whose parameter holds the events), or the
 * event's payload just stored (the `COPY` path), so that no facet is sent twice.
 */
const FACETS_FROM = {
  parameter: { value: '$1::jsonb #> x.path', column: '', join: '' },
  stored: {
    value: 'e.payload #> x.path',
    column: 'event text, ',
    join: "  left join lineage_events e on x.event is not null and e.event_hash = decode(x.event, 'hex')\n",
  },
} as const;

/** The merged nodes, bare nodes, edges and runs of a batch: the common part of both ingestion statements. */
function derivedRowsSql(facets: (typeof FACETS_FROM)[keyof typeof FACETS_FROM]): string {
  return /* sql */ `node_rows as (
  insert into lineage_nodes as n (key, kind, namespace, name, field, dataset_key, facets, facet_stamps)
  select x.key, x.kind, x.namespace, x.name, x.field, x.dataset, coalesce(x.facets, ${facets.value}), x.stamps
  from jsonb_to_recordset($1::jsonb -> 'nodes')
    as x(key text, kind text, namespace text, name text, field text, dataset text, facets jsonb, ${facets.column}path text[], stamps jsonb)
${facets.join}  order by x.key
  on conflict (key) do update set
    facets = ${nodeFacets.facets},
    facet_stamps = ${nodeFacets.stamps},
    updated_at = now()
  where ${nodeFacets.changes}
  returning 1
),
-- Nodes the events name without facets (fields, bare datasets) only need to exist.
bare_node_rows as (
  insert into lineage_nodes (key, kind, namespace, name, field, dataset_key)
  select x.key, x.kind, x.namespace, x.name, x.field, x.dataset
  from jsonb_to_recordset($1::jsonb -> 'bare') as x(key text, kind text, namespace text, name text, field text, dataset text)
  order by x.key
  on conflict (key) do nothing
  returning 1
),
edge_rows as (
  insert into lineage_edges as g (source, target, kind, detail, first_stamp)
  select x.source, x.target, x.kind, x.detail, x.stamp
  from jsonb_to_recordset($1::jsonb -> 'edges') as x(source text, target text, kind text, detail jsonb, stamp text)
  order by x.source, x.kind, x.target
  on conflict (source, kind, target, via) do update set detail = excluded.detail, first_stamp = excluded.first_stamp
  where excluded.first_stamp collate "C" < g.first_stamp collate "C"
  returning 1
),
run_rows as (
  insert into runs as r (run_id, job_key, state, state_rank, state_stamp, state_time, started_at, ended_at, error_message,
                         first_event_at, last_event_at, parent_run_id, nominal_start, nominal_end, facets, facet_stamps)
  select x.id, x.job, x.state, x.rank, x.stamp, x."stateTime", x."startedAt", x."endedAt", x."errorMessage",
         x."firstEventAt", x."lastEventAt", x."parentRunId", x."nominalStart", x."nominalEnd", coalesce(x.facets, ${facets.value}), x.stamps
  from jsonb_to_recordset($1::jsonb -> 'runs')
    as x(id uuid, job text, state text, rank smallint, stamp text, "stateTime" timestamptz, "startedAt" timestamptz,
         "endedAt" timestamptz, "errorMessage" text, "firstEventAt" timestamptz, "lastEventAt" timestamptz,
         "parentRunId" uuid, "nominalStart" timestamptz, "nominalEnd" timestamptz, facets jsonb, ${facets.column}path text[], stamps jsonb)
${facets.join}  order by x.id
  on conflict (run_id) do update set
    state         = case when ${runWins} then excluded.state else r.state end,
    state_rank    = case when ${runWins} then excluded.state_rank else r.state_rank end,
    state_time    = case when ${runWins} then excluded.state_time else r.state_time end,
    ended_at      = case when ${runWins} then excluded.ended_at else r.ended_at end,
    error_message = case when ${runWins} then excluded.error_message else r.error_message end,
    state_stamp   = case when ${runWins} then excluded.state_stamp else r.state_stamp end,
    started_at     = least(r.started_at, excluded.started_at),
    first_event_at = least(r.first_event_at, excluded.first_event_at),
    last_event_at  = greatest(r.last_event_at, excluded.last_event_at),
    parent_run_id  = least(r.parent_run_id, excluded.parent_run_id),
    nominal_start  = least(r.nominal_start, excluded.nominal_start),
    nominal_end    = least(r.nominal_end, excluded.nominal_end),
    facets         = ${runFacets.facets},
    facet_stamps   = ${runFacets.stamps},
    updated_at     = now()
  where ${runWins}
     or least(r.started_at, excluded.started_at) is distinct from r.started_at
     or excluded.first_event_at < r.first_event_at
     or excluded.last_event_at > r.last_event_at
     or least(r.parent_run_id, excluded.parent_run_id) is distinct from r.parent_run_id
     or least(r.nominal_start, excluded.nominal_start) is distinct from r.nominal_start
     or least(r.nominal_end, excluded.nominal_end) is distinct from r.nominal_end
     or ${runFacets.changes}
  returning 1
),
`;
}

/**
 * Stores a batch of OpenLineage events in one statement, hence one round trip and one atomic write: the raw
 * events (skipping hashes already stored), then the merged nodes, edges and runs, and one audit row per request
 * that stored anything. Every derived write keeps the greatest stamp (see migration 0001), so replaying events,
 * in any order, changes nothing more; a row the merge would not change is not written. Rows are inserted in key
 * order, so that concurrent batches lock shared rows in the same order. The one parameter is the batch as JSON
 * (`IngestBatch.toJson`), parsed once when bound and read in place (a CTE would copy it, to disk when large);
 * facets that stand whole in an event are read from it by path (`#>` walks without copying on the way).
 */
export const INGEST_SQL = /* sql */ `
with ev as (
  insert into lineage_events (event_hash, kind, event_type, event_time, run_id, job_key, dataset_key, producer, payload, received_by)
  select decode(e.hash, 'hex'), e.kind, e.type, e.at, e.run, e.job, e.dataset, e.producer, e.payload, e.team
  from jsonb_to_recordset($1::jsonb -> 'events')
    as e(hash text, kind text, type text, at timestamptz, run uuid, job text, dataset text, producer text, payload jsonb, team text)
  on conflict (event_hash) do nothing
  returning encode(event_hash, 'hex') as hash
),
${derivedRowsSql(FACETS_FROM.parameter)}audit_rows as (
  insert into audit_log (team, token_id, principal, action, target, detail)
  select q.team, q.token, q.principal, 'lineage.ingest', q.target, jsonb_build_object('events', q.events, 'stored', s.stored)
  from jsonb_to_recordset($1::jsonb -> 'requests') as q(idx int, team text, token bigint, principal text, target text, events int)
  join (
    select e.request, count(*)::int as stored
    from jsonb_to_recordset($1::jsonb -> 'events') as e(hash text, request int)
    join ev on ev.hash = e.hash
    group by e.request
  ) s on s.request = q.idx
  returning 1
)
select coalesce((select array_agg(hash) from ev), '{}') as stored`;

/**
 * Derives the catalog's rows from the events a transaction has just copied into `lineage_events`: the merged
 * nodes, edges and runs, and one audit row per request that stored anything. Every derived write keeps the
 * greatest stamp (see migration 0001), so replaying events, in any order, changes nothing more; a row the merge
 * would not change is not written. Rows are inserted in key order, so that concurrent batches lock shared rows
 * in the same order. The one parameter is `IngestBatch.derivedJson`, parsed once when bound and read in place;
 * facets that stand whole in an event are read from that event's stored payload by path (`#>`), not sent twice.
 */
export const DERIVE_SQL = /* sql */ `
with ${derivedRowsSql(FACETS_FROM.stored)}audit_rows as (
  insert into audit_log (team, token_id, principal, action, target, detail)
  select q.team, q.token, q.principal, 'lineage.ingest', q.target, jsonb_build_object('events', q.events, 'stored', q.stored)
  from jsonb_to_recordset($1::jsonb -> 'requests') as q(team text, token bigint, principal text, target text, events int, stored int)
  returning 1
)
select (select count(*) from node_rows) + (select count(*) from bare_node_rows) + (select count(*) from edge_rows)
     + (select count(*) from run_rows) + (select count(*) from audit_rows) as written`;

const COPY_EVENTS = 'copy lineage_events (event_hash, kind, event_type, event_time, run_id, job_key, dataset_key, producer, payload, received_by) from stdin';

/** Attempts of an ingestion whose new events a concurrent writer stored first (unique violation on the hash). */
const RACE_ATTEMPTS = 4;

/**
 * Below this many distinct events, a batch is written by the one statement `INGEST_SQL` (one round trip, no
 * explicit transaction); from it on, by `COPY` and `DERIVE_SQL` in a transaction of four or five round trips,
 * which cost less per event but more per batch. Measured on PostgreSQL (see the README's benchmarks).
 */
export const DEFAULT_COPY_THRESHOLD = 64;

/**
 * Stores a batch of OpenLineage events atomically and returns the hashes it stored (the others were stored
 * already: a duplicate changes nothing). Small batches (group commits of single events) take the one-statement
 * path, large ones the `COPY` path (`copyThreshold`, default `DEFAULT_COPY_THRESHOLD`). Either way, rows the
 * batch's `known` memory says are stored are not sent, and what was sent is remembered once committed.
 */
export async function ingestLineage(sql: SqlClient, batch: IngestBatch, copyThreshold = DEFAULT_COPY_THRESHOLD): Promise<IngestedLineage> {
  if (batch.hashes().length >= copyThreshold) return copyLineage(sql, batch);
  const rows = batch.derivedRows(new Set(batch.hashes()));
  const graphChanged = changesGraph(batch, rows);
  // One statement commits or fails as a whole; a deadlock with a concurrent batch is retried.
  const result = await retryTransient(() => sql.query<{ stored: string[] }>(INGEST_SQL, [batch.statementJson(rows)], { name: 'mesh_ingest_lineage_v4' }));
  batch.known?.remember(rows);
  const stored = new Set(result.rows[0]?.stored ?? []);
  return { stored, graphChanged: graphChanged && stored.size > 0 };
}

/** What an ingestion stored: the hashes of the events stored now, and whether the lineage graph may have changed. */
export interface IngestedLineage {
  readonly stored: Set<string>;
  readonly graphChanged: boolean;
}

/** Whether the rows can change the lineage graph: always, without a memory of what is stored (`KnownLineage.changesGraph`). */
function changesGraph(batch: IngestBatch, rows: DerivedRows): boolean {
  return batch.known ? batch.known.changesGraph(rows) : true;
}

/**
 * Stores a batch in one transaction, which commits or stores nothing: finds which of its events are stored
 * already, copies the others into `lineage_events` with `COPY` (several times cheaper per event than an
 * `INSERT` from a parameter), and derives their rows (`DERIVE_SQL`). Two writers storing the same new event at
 * once: the second one's `COPY` waits for the first to commit and then fails on the unique hash; the transaction
 * runs again and finds the event stored.
 */
async function copyLineage(sql: SqlClient, batch: IngestBatch): Promise<IngestedLineage> {
  for (let attempt = 1; ; attempt++) {
    let derived: DerivedRows | undefined;
    let graphChanged = false;
    try {
      const stored = await sql.transaction(async (tx) => {
        const hashes = batch.hashes();
        const { rows } = await tx.query<{ hash: string }>(
          "select encode(event_hash, 'hex') as hash from lineage_events where event_hash in (select decode(h, 'hex') from unnest($1::text[]) as h)",
          [hashes],
          { name: 'mesh_stored_events_v1' },
        );
        const known = new Set(rows.map((r) => r.hash));
        const stored = new Set(hashes.filter((h) => !known.has(h)));
        if (stored.size === 0) return stored;
        await tx.copyFrom(COPY_EVENTS, Readable.from([batch.copyRows(stored)]));
        derived = batch.derivedRows(stored);
        graphChanged = changesGraph(batch, derived);
        await tx.query(DERIVE_SQL, [batch.derivedJson(stored, derived)], { name: 'mesh_derive_lineage_v1' });
        return stored;
      });
      if (derived) batch.known?.remember(derived);
      return { stored, graphChanged: graphChanged && stored.size > 0 };
    } catch (error) {
      if (attempt >= RACE_ATTEMPTS || !(error instanceof ConflictError) || sqlStateOf(error) !== '23505' || constraintOf(error) !== 'lineage_events_hash') throw error;
    }
  }
}

function constraintOf(error: ConflictError): string | undefined {
  const constraint = (error.cause as { constraint?: unknown } | undefined)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}
