import { createHash } from 'node:crypto';

/**
 * OpenLineage events for tests and benchmarks, with the facets real producers send: job type, SQL and
 * documentation on jobs; nominal time, processing engine, parent and error message on runs; schema, data source
 * and column lineage on datasets; data-quality metrics on inputs and output statistics on outputs. Every event
 * conforms to the vendored spec (a test checks it).
 */

/** `producer` of the generated events. */
export const PRODUCER = 'https://github.com/mesh-data/mesh/v0.1.0';
const RUN_EVENT_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const facet = (schema: string) => ({ _producer: PRODUCER, _schemaURL: `https://openlineage.io/spec/facets/${schema}` });

export type EventType = 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT' | 'OTHER';

/** A UUID made from a seed, so that generated runs are reproducible. */
export function uuidFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface DatasetRef {
  readonly namespace: string;
  readonly name: string;
}

export interface RunEventOptions {
  readonly runId: string;
  readonly eventType?: EventType;
  readonly eventTime?: string;
  readonly job?: DatasetRef;
  readonly inputs?: readonly DatasetRef[];
  readonly outputs?: readonly DatasetRef[];
  /** Fields of each dataset's schema facet (default 8). */
  readonly fields?: number;
  readonly parentRunId?: string;
  readonly errorMessage?: string;
  /** Extra run facets, merged over the defaults. */
  readonly runFacets?: Record<string, unknown>;
  /** Field names of a dataset's schema facet (default `id`, `field_1`, ...: `fields` of them). */
  readonly fieldNames?: (dataset: DatasetRef) => readonly string[];
  /** Per output (by position), the input fields of each output field, replacing the default column lineage. */
  readonly columnLineage?: readonly Readonly<Record<string, readonly DatasetFieldRef[]>>[];
  /** Job facets beyond the defaults (mesh's own `mesh_dataProduct`). */
  readonly jobFacets?: Record<string, unknown>;
  /** Facets of a dataset beyond the defaults, wherever it appears. */
  readonly datasetFacets?: (dataset: DatasetRef) => Record<string, unknown> | undefined;
  /** `jobType` facet: integration and job type (default MESH, JOB). */
  readonly jobType?: { readonly integration: string; readonly jobType: string };
}

/** One field of a dataset, as column lineage names it. */
export interface DatasetFieldRef extends DatasetRef {
  readonly field: string;
}

const FIELD_TYPES = ['varchar', 'bigint', 'numeric(12,2)', 'timestamp', 'boolean', 'date'];

/** Schema facets by field list: a generator that names the same fields for a dataset again shares one facet. */
const schemaFacets = new WeakMap<readonly string[], object>();

function schemaFacet(names: readonly string[]): object {
  const known = schemaFacets.get(names);
  if (known) return known;
  const made = {
    ...facet('1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet'),
    fields: names.map((name, i) => ({
      name,
      type: FIELD_TYPES[i % FIELD_TYPES.length],
      description: `Field number ${i} of the record.`,
      ordinal_position: i + 1,
    })),
  };
  schemaFacets.set(names, made);
  return made;
}

/** A RunEvent with realistic facets. */
export function runEvent(options: RunEventOptions): Record<string, unknown> {
  const eventType = options.eventType ?? 'START';
  const job = options.job ?? { namespace: 'mesh', name: 'sales.orders' };
  const inputs = options.inputs ?? [{ namespace: 'postgres://crm:5432', name: 'crm.public.orders' }];
  const outputs = options.outputs ?? [{ namespace: 'postgres://warehouse:5432', name: 'gold.sales_orders' }];
  const fields = options.fields ?? 8;
  const generic = Array.from({ length: fields }, (_, i) => (i === 0 ? 'id' : `field_${i}`));
  const names = (d: DatasetRef) => options.fieldNames?.(d) ?? generic;
  const identity = [{ type: 'DIRECT', subtype: 'IDENTITY' }];
  const lineageOf = (k: number) =>
    options.columnLineage
      ? Object.fromEntries(
          Object.entries(options.columnLineage[k] ?? {}).map(([field, sources]) => [
            field,
            { inputFields: sources.map((s) => ({ namespace: s.namespace, name: s.name, field: s.field, transformations: identity })) },
          ]),
        )
      : Object.fromEntries(
          Array.from({ length: Math.min(fields, 4) }, (_, i) => [
            i === 0 ? 'id' : `field_${i}`,
            {
              inputFields: inputs
                .filter((_, k) => k === i % inputs.length)
                .map((input) => ({ namespace: input.namespace, name: input.name, field: i === 0 ? 'id' : `field_${i}`, transformations: identity })),
            },
          ]),
        );
  const runFacets: Record<string, unknown> = {
    nominalTime: { ...facet('1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet'), nominalStartTime: '2026-11-26T00:00:00.000Z', nominalEndTime: '2026-11-27T00:00:00.000Z' },
    processing_engine: { ...facet('1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet'), version: '15.8', name: 'postgresql', openlineageAdapterVersion: '0.1.0' },
  };
  if (options.parentRunId) {
    runFacets['parent'] = { ...facet('1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet'), run: { runId: options.parentRunId }, job: { namespace: job.namespace, name: 'nightly' } };
  }
  if (eventType === 'FAIL') {
    runFacets['errorMessage'] = { ...facet('1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet'), message: options.errorMessage ?? 'rejected records exceed the completeness SLA', programmingLanguage: 'TypeScript' };
  }
  const terminal = eventType === 'COMPLETE' || eventType === 'FAIL';
  return {
    eventType,
    eventTime: options.eventTime ?? '2026-11-26T10:00:00.000Z',
    producer: PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA,
    run: { runId: options.runId, facets: { ...runFacets, ...options.runFacets } },
    job: {
      namespace: job.namespace,
      name: job.name,
      facets: {
        jobType: { ...facet('2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet'), processingType: 'BATCH', ...(options.jobType ?? { integration: 'MESH', jobType: 'JOB' }) },
        sql: { ...facet('1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet'), query: `insert into ${outputs[0]?.name ?? 'x'} select * from ${inputs[0]?.name ?? 'y'} where updated_at > $1`, dialect: 'postgres' },
        documentation: { ...facet('1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet'), description: `Builds ${job.name}.` },
        ...options.jobFacets,
      },
    },
    inputs: inputs.map((d) => ({
      namespace: d.namespace,
      name: d.name,
      facets: {
        schema: schemaFacet(names(d)),
        dataSource: { ...facet('1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet'), name: d.namespace, uri: d.namespace },
        ...options.datasetFacets?.(d),
      },
      ...(terminal
        ? {
            inputFacets: {
              dataQualityMetrics: {
                ...facet('1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet'),
                rowCount: 1200,
                columnMetrics: { id: { nullCount: 0, distinctCount: 1200 } },
              },
            },
          }
        : {}),
    })),
    outputs: outputs.map((d, k) => ({
      namespace: d.namespace,
      name: d.name,
      facets: {
        schema: schemaFacet(names(d)),
        dataSource: { ...facet('1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet'), name: d.namespace, uri: d.namespace },
        ...options.datasetFacets?.(d),
        columnLineage: { ...facet('1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet'), fields: lineageOf(k) },
      },
      ...(terminal ? { outputFacets: { outputStatistics: { ...facet('1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet'), rowCount: 1180, size: 96_000 } } } : {}),
    })),
  };
}

/**
 * `count` events of a busy mesh: runs of `jobs` jobs over a pool of datasets, each run a START and a COMPLETE
 * (one run in twenty FAILs), with distinct run ids and times. Deterministic for a given seed.
 */
export function generateEvents(count: number, options: { jobs?: number; datasets?: number; seed?: string; fields?: number } = {}): Record<string, unknown>[] {
  const jobs = options.jobs ?? 500;
  const datasets = options.datasets ?? 2_000;
  const seed = options.seed ?? 'mesh';
  const events: Record<string, unknown>[] = [];
  const base = Date.parse('2026-11-01T00:00:00.000Z');
  for (let run = 0; events.length < count; run++) {
    const job = run % jobs;
    const runId = uuidFor(`${seed}:run:${run}`);
    const ds = (k: number) => ({ namespace: `postgres://warehouse-${k % 4}:5432`, name: `analytics.public.table_${k % datasets}` });
    const common = { runId, job: { namespace: 'mesh', name: `domain_${job % 20}.product_${job}` }, inputs: [ds(job * 3), ds(job * 3 + 1)], outputs: [ds(job * 3 + 2)], fields: options.fields ?? 8 };
    const start = base + run * 60_000;
    events.push(runEvent({ ...common, eventType: 'START', eventTime: new Date(start).toISOString() }));
    if (events.length < count) {
      events.push(runEvent({ ...common, eventType: run % 20 === 19 ? 'FAIL' : 'COMPLETE', eventTime: new Date(start + 45_000).toISOString() }));
    }
  }
  return events;
}
