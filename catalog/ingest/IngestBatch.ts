import type { Principal } from '../store/Principal.js';
import { principalLabel, principalTeam } from '../store/Principal.js';
import type { EdgeRow, FacetSource, NodeRow, NormalizedEvent, RunRow } from './LineageRows.js';
import type { KnownLineage } from './KnownLineage.js';
import { mergeEdgeRows, mergeNodeRows, mergeRunRows } from './mergeRows.js';

/** One client request: a single event or a batch, written together or not at all. */
export interface IngestRequest {
  readonly principal: Principal;
  /** What the audit log names as the target: the job or dataset of a single event, `batch` otherwise. */
  readonly target: string;
  readonly events: readonly NormalizedEvent[];
}

/** What became of one event: stored now, or already stored before (a duplicate changes nothing). */
export type EventOutcome = 'stored' | 'duplicate';

/** The rows a set of events derives, each node, edge and run once (merged). */
export interface DerivedRows {
  readonly nodes: NodeRow[];
  readonly edges: EdgeRow[];
  readonly runs: RunRow[];
}

/**
 * Several requests written in one transaction: the raw events (each hash once; the first request that carries
 * an event gets it counted as stored), and the rows derived from the events stored now. An event already
 * stored derived its rows when it was stored, in the same transaction, so duplicates derive nothing again.
 * Nodes, edges and runs that occur in several events are merged here by the rules the store applies against
 * stored rows, because one statement may not touch a row twice.
 */
export class IngestBatch {
  readonly requests: IngestRequest[] = [];
  private readonly events = new Map<string, { event: NormalizedEvent; request: number }>();
  private count = 0;

  /** `known`: rows this process knows are stored, which the batch then does not send again. */
  constructor(readonly known?: KnownLineage) {}

  add(request: IngestRequest): void {
    const index = this.requests.length;
    this.requests.push(request);
    this.count += request.events.length;
    for (const event of request.events) if (!this.events.has(event.hash)) this.events.set(event.hash, { event, request: index });
  }

  /** Events in all requests, duplicates included. */
  get eventCount(): number {
    return this.count;
  }

  /** The distinct events' hashes, in the order they came. */
  hashes(): string[] {
    return [...this.events.keys()];
  }

  /**
   * Per request, per event: `stored` for the first occurrence of a hash the store inserted, `duplicate`
   * for every other.
   */
  outcomes(inserted: ReadonlySet<string>): EventOutcome[][] {
    const claimed = new Set<string>();
    return this.requests.map((request) =>
      request.events.map((event) => {
        if (!inserted.has(event.hash) || claimed.has(event.hash)) return 'duplicate';
        claimed.add(event.hash);
        return 'stored';
      }),
    );
  }

  /**
   * The events to store, as the rows of `COPY lineage_events (event_hash, kind, event_type, event_time, run_id,
   * job_key, dataset_key, producer, payload, received_by) FROM STDIN` in text format. The payload is the JSON
   * text the event was hashed from, not serialized again.
   */
  copyRows(stored: ReadonlySet<string>): string {
    let out = '';
    for (const { event, request } of this.events.values()) {
      if (!stored.has(event.hash)) continue;
      out += `\\\\x${event.hash}\t${event.kind}\t${copyField(event.eventType)}\t${event.eventTime}\t${copyField(event.runId)}\t${copyField(event.jobKey)}\t${copyField(event.datasetKey)}\t${copyField(event.producer)}\t${copyText(event.text)}\t${copyField(principalTeam(this.requests[request]!.principal))}\n`;
    }
    return out;
  }

  /**
   * What the events stored now derive, merged: one row per node, edge and run, less those the `known` rows say
   * would change nothing.
   */
  derivedRows(stored: ReadonlySet<string>): DerivedRows {
    const nodes = new Map<string, NodeRow>();
    const edges = new Map<string, EdgeRow>();
    const runs = new Map<string, RunRow>();
    for (const { event } of this.events.values()) {
      if (!stored.has(event.hash)) continue;
      for (const node of event.nodes) {
        const existing = nodes.get(node.key);
        nodes.set(node.key, existing ? mergeNodeRows(existing, node) : node);
      }
      for (const edge of event.edges) {
        const id = edgeId(edge);
        const existing = edges.get(id);
        edges.set(id, existing ? mergeEdgeRows(existing, edge) : edge);
      }
      if (event.run) {
        const existing = runs.get(event.run.id);
        runs.set(event.run.id, existing ? mergeRunRows(existing, event.run) : event.run);
      }
    }
    const rows = { nodes: [...nodes.values()], edges: [...edges.values()], runs: [...runs.values()] };
    return this.known ? this.known.filter(rows) : rows;
  }

  /**
   * The one parameter of the derivation statement (`DERIVE_SQL`): the derived rows of the events stored now,
   * and per request the number it stored, for the audit log. Facets that stand whole in a stored event travel
   * as that event's hash and their path into it (read with `#>` from the row just copied), not as a second copy.
   */
  derivedJson(stored: ReadonlySet<string>, rows: DerivedRows = this.derivedRows(stored)): string {
    const perRequest = this.outcomes(stored).map((outcomes) => outcomes.filter((o) => o === 'stored').length);
    const located = (facets: Record<string, unknown>, source: FacetSource | undefined) =>
      source !== undefined && stored.has(source.event) ? { facets: null, event: source.event, path: source.path } : { facets, event: null, path: null };
    return JSON.stringify({
      ...rowsDocument(rows, located),
      requests: this.requests
        .map((request, idx) => ({ ...requestRow(request), stored: perRequest[idx]! }))
        .filter((request) => request.stored > 0),
    });
  }

  /**
   * The one parameter of the single ingestion statement (`INGEST_SQL`), which inserts the events and derives
   * their rows at once: every event with its JSON spliced in as received (not serialized again), the rows all
   * of them derive (`rows`; those of a duplicate change nothing), and the requests. Facets that stand whole in
   * an event travel as their path into this document (`["events", "<i>", "payload", ...]`, read with `#>`).
   */
  statementJson(rows: DerivedRows): string {
    const events: string[] = [];
    const position = new Map<string, number>();
    for (const { event, request } of this.events.values()) {
      const head = JSON.stringify({
        hash: event.hash,
        request,
        kind: event.kind,
        type: event.eventType,
        at: event.eventTime,
        run: event.runId,
        job: event.jobKey,
        dataset: event.datasetKey,
        producer: event.producer,
        team: principalTeam(this.requests[request]!.principal),
      });
      position.set(event.hash, events.length);
      events.push(`${head.slice(0, -1)},"payload":${event.text}}`);
    }
    const located = (facets: Record<string, unknown>, source: FacetSource | undefined) => {
      const at = source === undefined ? undefined : position.get(source.event);
      return at === undefined ? { facets, path: null } : { facets: null, path: ['events', String(at), 'payload', ...source!.path] };
    };
    const rest = JSON.stringify({ ...rowsDocument(rows, located), requests: this.requests.map((request, idx) => ({ idx, ...requestRow(request) })) });
    return `{"events":[${events.join(',')}],${rest.slice(1)}`;
  }
}

type Locate = (facets: Record<string, unknown>, source: FacetSource | undefined) => object;

/** Nodes with facets are merged with the stored ones; bare nodes (fields, datasets named by columnLineage) only need to exist. */
function rowsDocument(rows: DerivedRows, located: Locate): object {
  return {
    nodes: rows.nodes.filter((node) => !isEmpty(node.stamps)).map(({ facets, source, ...node }) => ({ ...node, ...located(facets, source) })),
    bare: rows.nodes.filter((node) => isEmpty(node.stamps)).map(({ key, kind, namespace, name, field, dataset }) => ({ key, kind, namespace, name, field, dataset })),
    edges: rows.edges,
    runs: rows.runs.map(({ facets, source, ...run }) => ({ ...run, ...located(facets, source) })),
  };
}

function requestRow(request: IngestRequest) {
  return {
    team: principalTeam(request.principal),
    token: request.principal.kind === 'token' ? request.principal.tokenId : null,
    principal: principalLabel(request.principal),
    target: request.target,
    events: request.events.length,
  };
}

/** Identity of an edge row: its primary key without `via` (always '' for observed edges). */
export function edgeId(edge: Pick<EdgeRow, 'source' | 'kind' | 'target'>): string {
  return `${edge.source}\u0000${edge.kind}\u0000${edge.target}`;
}

function isEmpty(object: object): boolean {
  for (const _ in object) return false;
  return true;
}

/** A value in COPY's text format: `\N` for null; backslash, tab, newline and carriage return escaped. */
function copyField(value: string | null): string {
  return value === null ? '\\N' : copyText(value);
}

const COPY_SPECIAL = /[\\\t\n\r]/;

function copyText(value: string): string {
  // JSON text never holds a raw tab, newline or carriage return, and rarely a backslash: most events pass as they are.
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}
