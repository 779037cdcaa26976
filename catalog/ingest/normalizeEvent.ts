import { isObject, type JsonObject } from '../../platform/util/guards.js';
import { InvalidContentError } from '../errors.js';
import { datasetKey, fieldKey, jobKey } from '../lineageKeys.js';
import type { EdgeRow, EventKind, FacetSource, NodeRow, NormalizedEvent, RunRow, RunState } from './LineageRows.js';
import { mergeEdgeRows, mergeNodeRows, RUN_STATE_RANK } from './mergeRows.js';

const RUN_STATES = new Set<string>(Object.keys(RUN_STATE_RANK));
/** Years 0000 to 9999: the range whose ISO text has a fixed width. */
const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Derives what a valid OpenLineage event (checked against the spec before) contributes to the catalog: the job
 * and dataset nodes with their facets, edges input -> job -> output, field nodes and edges from `columnLineage`
 * facets, and for a RunEvent the run's state. `hash` is the event's identity, `text` its JSON.
 */
export function normalizeEvent(event: JsonObject, hash: string, text: string = JSON.stringify(event)): NormalizedEvent {
  const eventTime = isoTime(event['eventTime'], '/eventTime');
  const stamp = `${eventTime}|${hash}`;
  const kind: EventKind = 'run' in event ? 'run' : 'dataset' in event ? 'dataset' : 'job';
  const nodes = new Map<string, NodeRow>();
  const edges = new Map<string, EdgeRow>();

  const addNode = (row: NodeRow) => {
    const existing = nodes.get(row.key);
    nodes.set(row.key, existing ? mergeNodeRows(existing, row) : row);
  };
  const addEdge = (row: EdgeRow) => {
    const id = `${row.source}\u0000${row.kind}\u0000${row.target}`;
    const existing = edges.get(id);
    edges.set(id, existing ? mergeEdgeRows(existing, row) : row);
  };
  /** The facets at `path` in the event (its `facets` member), each stamped with this event. */
  const facetRow = (value: unknown, path: readonly string[]) => {
    if (!isObject(value)) return { facets: {}, stamps: {} };
    const stamps: Record<string, string> = {};
    for (const key of Object.keys(value)) stamps[key] = stamp;
    return { facets: value, stamps, source: { event: hash, path } };
  };
  const addDataset = (dataset: JsonObject, path: readonly string[]): string => {
    const namespace = String(dataset['namespace']);
    const name = String(dataset['name']);
    const key = datasetKey(namespace, name);
    addNode({ key, kind: 'dataset', namespace, name, field: null, dataset: null, ...facetRow(dataset['facets'], [...path, 'facets']) });
    if (isObject(dataset['facets'])) addColumnLineage(namespace, name, key, dataset['facets']['columnLineage']);
    return key;
  };
  const bareNode = (namespace: string, name: string, field: string | null): string => {
    const dataset = datasetKey(namespace, name);
    addNode({ key: dataset, kind: 'dataset', namespace, name, field: null, dataset: null, facets: {}, stamps: {} });
    if (field === null) return dataset;
    const key = fieldKey(namespace, name, field);
    addNode({ key, kind: 'field', namespace, name, field, dataset, facets: {}, stamps: {} });
    return key;
  };
  const addColumnLineage = (namespace: string, name: string, outDataset: string, facet: unknown) => {
    if (!isObject(facet)) return;
    const inputsOf = (list: unknown): JsonObject[] => (Array.isArray(list) ? list.filter(isObject) : []);
    const edgeFrom = (input: JsonObject, target: string) => {
      const source = bareNode(String(input['namespace']), String(input['name']), String(input['field']));
      const detail = Array.isArray(input['transformations']) ? { transformations: input['transformations'] } : null;
      addEdge({ source, target, kind: 'derives', detail, stamp });
    };
    if (isObject(facet['fields'])) {
      for (const [field, lineage] of Object.entries(facet['fields'])) {
        if (!isObject(lineage)) continue;
        const target = bareNode(namespace, name, field);
        for (const input of inputsOf(lineage['inputFields'])) edgeFrom(input, target);
      }
    }
    for (const input of inputsOf(facet['dataset'])) edgeFrom(input, outDataset);
  };

  let job: string | null = null;
  if (isObject(event['job'])) {
    const namespace = String(event['job']['namespace']);
    const name = String(event['job']['name']);
    job = jobKey(namespace, name);
    addNode({ key: job, kind: 'job', namespace, name, field: null, dataset: null, ...facetRow(event['job']['facets'], ['job', 'facets']) });
  }
  const datasets = (side: 'inputs' | 'outputs', add: (key: string) => void) => {
    const list = event[side];
    if (!Array.isArray(list)) return;
    list.forEach((dataset, i) => {
      if (isObject(dataset)) add(addDataset(dataset, [side, String(i)]));
    });
  };
  datasets('inputs', (key) => {
    if (job !== null) addEdge({ source: key, target: job, kind: 'reads', detail: null, stamp });
  });
  datasets('outputs', (key) => {
    if (job !== null) addEdge({ source: job, target: key, kind: 'writes', detail: null, stamp });
  });
  const dataset = kind === 'dataset' && isObject(event['dataset']) ? addDataset(event['dataset'], ['dataset']) : null;

  let run: RunRow | undefined;
  let runId: string | null = null;
  const eventType = typeof event['eventType'] === 'string' ? event['eventType'] : null;
  if (kind === 'run' && isObject(event['run']) && job !== null) {
    runId = String(event['run']['runId']).toLowerCase();
    run = runRow(runId, job, eventType, eventTime, stamp, facetRow(event['run']['facets'], ['run', 'facets']));
  }
  return {
    hash,
    kind,
    eventType,
    eventTime,
    runId,
    jobKey: job,
    datasetKey: dataset,
    producer: String(event['producer']),
    text,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    run,
  };
}

function runRow(
  id: string,
  job: string,
  eventType: string | null,
  eventTime: string,
  stamp: string,
  { facets, stamps, source }: { facets: JsonObject; stamps: Record<string, string>; source?: FacetSource },
): RunRow {
  const state: RunState = eventType !== null && RUN_STATES.has(eventType) ? (eventType as RunState) : 'OTHER';
  const rank = RUN_STATE_RANK[state];
  const parent = isObject(facets['parent']) && isObject(facets['parent']['run']) ? facets['parent']['run']['runId'] : undefined;
  const nominal = isObject(facets['nominalTime']) ? facets['nominalTime'] : {};
  const error = isObject(facets['errorMessage']) ? facets['errorMessage']['message'] : undefined;
  return {
    id,
    job,
    state,
    rank,
    stamp,
    stateTime: eventTime,
    startedAt: state === 'START' ? eventTime : null,
    endedAt: rank === 3 ? eventTime : null,
    errorMessage: state === 'FAIL' && typeof error === 'string' ? error : null,
    firstEventAt: eventTime,
    lastEventAt: eventTime,
    parentRunId: typeof parent === 'string' ? parent.toLowerCase() : null,
    nominalStart: nominal['nominalStartTime'] === undefined ? null : isoTime(nominal['nominalStartTime'], '/run/facets/nominalTime/nominalStartTime'),
    nominalEnd: nominal['nominalEndTime'] === undefined ? null : isoTime(nominal['nominalEndTime'], '/run/facets/nominalTime/nominalEndTime'),
    facets,
    stamps,
    source,
  };
}

/**
 * A date-time as UTC ISO text with milliseconds: fixed width, so that stamps compare as strings. The spec's
 * `date-time` format admits values `Date` cannot represent (a leap second); those are refused here.
 */
function isoTime(value: unknown, pointer: string): string {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time) || time < EARLIEST || time > LATEST) {
    throw new InvalidContentError('the event does not conform to the OpenLineage spec', [{ pointer, message: `${JSON.stringify(value)} is not a date-time this catalog can store` }]);
  }
  return new Date(time).toISOString();
}
