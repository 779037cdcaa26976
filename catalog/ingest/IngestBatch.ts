import type { Principal } from '../store/Principal.js';
import { principalLabel, principalTeam } from '../store/Principal.js';
import type { EdgeRow, FacetSource, NodeRow, NormalizedEvent, RunRow } from './LineageRows.js';
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

/**
 * Several requests folded into the rows of one SQL statement (`ingestSql`). Nodes, edges and runs that occur in
 * several events are merged here by the same rules the statement uses against stored rows, because one
 * statement may not touch a row twice. Events are kept once per hash; the first request that carries an event
 * gets it counted as stored.
 */
export class IngestBatch {
  readonly requests: IngestRequest[] = [];
  private readonly events = new Map<string, { event: NormalizedEvent; request: number }>();
  private readonly nodes = new Map<string, NodeRow>();
  private readonly edges = new Map<string, EdgeRow>();
  private readonly runs = new Map<string, RunRow>();
  private count = 0;

  add(request: IngestRequest): void {
    const index = this.requests.length;
    this.requests.push(request);
    this.count += request.events.length;
    for (const event of request.events) {
      if (this.events.has(event.hash)) continue;
      this.events.set(event.hash, { event, request: index });
      for (const node of event.nodes) {
        const existing = this.nodes.get(node.key);
        this.nodes.set(node.key, existing ? mergeNodeRows(existing, node) : node);
      }
      for (const edge of event.edges) {
        const id = `${edge.source}\u0000${edge.kind}\u0000${edge.target}`;
        const existing = this.edges.get(id);
        this.edges.set(id, existing ? mergeEdgeRows(existing, edge) : edge);
      }
      if (event.run) {
        const existing = this.runs.get(event.run.id);
        this.runs.set(event.run.id, existing ? mergeRunRows(existing, event.run) : event.run);
      }
    }
  }

  /** Events in all requests, duplicates included. */
  get eventCount(): number {
    return this.count;
  }

  /**
   * Per request, per event: `stored` for the first occurrence of a hash the statement inserted, `duplicate`
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
   * The statement's one parameter. Events' JSON is spliced in as received, not serialized again; facets that
   * stand whole in an event travel as their path into it (`["events", "<i>", "payload", ...]`, read with `#>`),
   * not as a second copy.
   */
  toJson(): string {
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
    const nodes = [...this.nodes.values()];
    const rest = JSON.stringify({
      // Nodes with facets are merged with the stored ones; bare nodes (fields, datasets named by columnLineage) only need to exist.
      nodes: nodes.filter((node) => !isEmpty(node.stamps)).map(({ facets, source, ...node }) => ({ ...node, ...located(facets, source) })),
      bare: nodes.filter((node) => isEmpty(node.stamps)).map(({ key, kind, namespace, name, field, dataset }) => ({ key, kind, namespace, name, field, dataset })),
      edges: [...this.edges.values()],
      runs: [...this.runs.values()].map(({ facets, source, ...run }) => ({ ...run, ...located(facets, source) })),
      requests: this.requests.map((request, idx) => ({
        idx,
        team: principalTeam(request.principal),
        token: request.principal.kind === 'token' ? request.principal.tokenId : null,
        principal: principalLabel(request.principal),
        target: request.target,
        events: request.events.length,
      })),
    });
    return `{"events":[${events.join(',')}],${rest.slice(1)}`;
  }
}

function isEmpty(object: object): boolean {
  return Object.keys(object).length === 0;
}
