import type {
  DatasetFacets,
  InputDatasetFacets,
  JobFacets,
  OutputDatasetFacets,
  RunFacets,
} from './StandardFacets.js';

/** The version of the core spec mesh writes (`$id` https://openlineage.io/spec/2-0-2/OpenLineage.json). */
export const OPENLINEAGE_SPEC_VERSION = '2-0-2';
export const OPENLINEAGE_CORE_URL = `https://openlineage.io/spec/${OPENLINEAGE_SPEC_VERSION}/OpenLineage.json`;

/** The `schemaURL` of each event kind: a JSON pointer into the core schema, as the official clients write it. */
export const EVENT_SCHEMA_URLS = {
  RunEvent: `${OPENLINEAGE_CORE_URL}#/$defs/RunEvent`,
  JobEvent: `${OPENLINEAGE_CORE_URL}#/$defs/JobEvent`,
  DatasetEvent: `${OPENLINEAGE_CORE_URL}#/$defs/DatasetEvent`,
} as const;

/** The state transitions of a run. A run sends one START and one of COMPLETE, ABORT or FAIL. */
export type EventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

/** A dataset's identity: the data source (`namespace`) and a name unique within it. */
export interface DatasetId {
  readonly namespace: string;
  readonly name: string;
}

/** A job's identity: the scheduler's namespace and a name unique within it. */
export interface JobId {
  readonly namespace: string;
  readonly name: string;
}

export interface Run {
  /** A UUID; mesh writes version 7 (time-ordered), as the official clients do. */
  readonly runId: string;
  readonly facets?: RunFacets;
}

export interface Job extends JobId {
  readonly facets?: JobFacets;
}

export interface Dataset extends DatasetId {
  readonly facets?: DatasetFacets;
}

export interface InputDataset extends Dataset {
  readonly inputFacets?: InputDatasetFacets;
}

export interface OutputDataset extends Dataset {
  readonly outputFacets?: OutputDatasetFacets;
}

interface BaseEvent {
  /** ISO-8601 date-time with an offset. */
  readonly eventTime: string;
  /** URI of the code that produced the event. */
  readonly producer: string;
  readonly schemaURL: string;
}

/** The state of one run of a job, with what it read and wrote. */
export interface RunEvent extends BaseEvent {
  readonly eventType: EventType;
  readonly run: Run;
  readonly job: Job;
  readonly inputs: readonly InputDataset[];
  readonly outputs: readonly OutputDataset[];
}

/** Static metadata about a job (no run): its declared inputs and outputs. */
export interface JobEvent extends BaseEvent {
  readonly job: Job;
  readonly inputs: readonly InputDataset[];
  readonly outputs: readonly OutputDataset[];
}

/** Static metadata about one dataset. */
export interface DatasetEvent extends BaseEvent {
  readonly dataset: Dataset;
}

export type OpenLineageEvent = RunEvent | JobEvent | DatasetEvent;

export type EventKind = keyof typeof EVENT_SCHEMA_URLS;

/** Which of the three kinds an event is, by the same test the core schema's `oneOf` makes. */
export function eventKind(event: OpenLineageEvent): EventKind {
  if ('run' in event) return 'RunEvent';
  if ('dataset' in event) return 'DatasetEvent';
  return 'JobEvent';
}

/** When an event happened: a `Date`, or an ISO string taken as is. Defaults to now. */
export type EventTime = Date | string | undefined;

function timeOf(time: EventTime): string {
  if (time === undefined) return new Date().toISOString();
  return typeof time === 'string' ? time : time.toISOString();
}

export interface RunEventInit {
  readonly eventType: EventType;
  readonly producer: string;
  readonly run: Run;
  readonly job: Job;
  readonly inputs?: readonly InputDataset[];
  readonly outputs?: readonly OutputDataset[];
  readonly eventTime?: EventTime;
}

export function createRunEvent(init: RunEventInit): RunEvent {
  return {
    eventType: init.eventType,
    eventTime: timeOf(init.eventTime),
    producer: init.producer,
    schemaURL: EVENT_SCHEMA_URLS.RunEvent,
    run: init.run,
    job: init.job,
    inputs: init.inputs ?? [],
    outputs: init.outputs ?? [],
  };
}

export interface JobEventInit {
  readonly producer: string;
  readonly job: Job;
  readonly inputs?: readonly InputDataset[];
  readonly outputs?: readonly OutputDataset[];
  readonly eventTime?: EventTime;
}

export function createJobEvent(init: JobEventInit): JobEvent {
  return {
    eventTime: timeOf(init.eventTime),
    producer: init.producer,
    schemaURL: EVENT_SCHEMA_URLS.JobEvent,
    job: init.job,
    inputs: init.inputs ?? [],
    outputs: init.outputs ?? [],
  };
}

export interface DatasetEventInit {
  readonly producer: string;
  readonly dataset: Dataset;
  readonly eventTime?: EventTime;
}

export function createDatasetEvent(init: DatasetEventInit): DatasetEvent {
  return {
    eventTime: timeOf(init.eventTime),
    producer: init.producer,
    schemaURL: EVENT_SCHEMA_URLS.DatasetEvent,
    dataset: init.dataset,
  };
}
