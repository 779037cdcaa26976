/**
 * The rows one OpenLineage event contributes to the catalog, before they are merged with what is stored.
 * Every value that later events may overwrite carries a stamp, `<ISO time, ms, UTC>|<event hash>`: fixed width,
 * so comparing stamps as strings orders by event time first and by event hash for ties. The greatest stamp
 * wins, whatever order events arrive in.
 */

export type NodeKind = 'dataset' | 'job' | 'field';

/**
 * Where a row's facets stand in an event, when they are exactly that object (`path` into the event, e.g.
 * `['inputs', '0', 'facets']`): the store then reads them from the event it stores anyway, instead of a second
 * copy sent and parsed again.
 */
export interface FacetSource {
  /** The event's hash. */
  readonly event: string;
  readonly path: readonly string[];
}

/** A dataset, job or field node and the facets this event reports for it. */
export interface NodeRow {
  readonly key: string;
  readonly kind: NodeKind;
  readonly namespace: string;
  readonly name: string;
  readonly field: string | null;
  /** For fields: the key of their dataset. */
  readonly dataset: string | null;
  readonly facets: Record<string, unknown>;
  /** Per facet key, the stamp of the event that reported it. */
  readonly stamps: Record<string, string>;
  readonly source?: FacetSource | undefined;
}

/** reads: dataset -> job; writes: job -> dataset; derives: field -> field, or field -> dataset. */
export type ObservedEdgeKind = 'reads' | 'writes' | 'derives';

export interface EdgeRow {
  readonly source: string;
  readonly target: string;
  readonly kind: ObservedEdgeKind;
  readonly detail: unknown;
  /** Stamp of the earliest event that showed the edge; its detail is kept. */
  readonly stamp: string;
}

/** The OpenLineage run states, and OTHER for events that report facets without a transition. */
export type RunState = 'OTHER' | 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT';

/** What a run's events say about it, merged (`mergeRunRows`) before it meets the stored row. */
export interface RunRow {
  readonly id: string;
  readonly job: string;
  readonly state: RunState;
  readonly rank: number;
  /** Stamp of the event that decided `state`. */
  readonly stamp: string;
  readonly stateTime: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly errorMessage: string | null;
  readonly firstEventAt: string;
  readonly lastEventAt: string;
  readonly parentRunId: string | null;
  readonly nominalStart: string | null;
  readonly nominalEnd: string | null;
  readonly facets: Record<string, unknown>;
  readonly stamps: Record<string, string>;
  readonly source?: FacetSource | undefined;
}

export type EventKind = 'run' | 'job' | 'dataset';

/** One valid event, ready to be stored. */
export interface NormalizedEvent {
  /** Hex sha-256 of the event's canonical JSON: its identity. */
  readonly hash: string;
  readonly kind: EventKind;
  readonly eventType: string | null;
  readonly eventTime: string;
  readonly runId: string | null;
  readonly jobKey: string | null;
  readonly datasetKey: string | null;
  readonly producer: string;
  /** The event as JSON text (what the store keeps, and what `hash` is the hash of). */
  readonly text: string;
  readonly nodes: readonly NodeRow[];
  readonly edges: readonly EdgeRow[];
  readonly run: RunRow | undefined;
}
