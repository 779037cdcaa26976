import type { InputField } from '../lineage/StandardFacets.js';
import type { LineageClient } from '../lineage/createLineageClient.js';
import type { PortResult, ProductLineage, ProductRun } from '../lineage/ProductLineage.js';
import type { ColumnLineage } from './columnLineage.js';
import type { PipelineObserver } from './PipelineObserver.js';

/**
 * Emits OpenLineage events for a pipeline run: START when a product (job `<id>`) or one of its steps (job
 * `<id>.step.<port>`, a child run through the `parent` facet) starts, then COMPLETE or FAIL with row counts, the
 * error, and column lineage from the step's SQL. A product that did not run (skipped) sends nothing. The run
 * ids are the pipeline's own, so the summary and the events name the same runs.
 */
export function lineageObserver(lineage: ProductLineage, client: LineageClient): PipelineObserver {
  const runs = new Map<string, ProductRun>();
  return {
    async productStarted(event) {
      const run = lineage.run(event.product, { runId: event.runId });
      runs.set(event.runId, run);
      await client.emit(lineage.start(run, { eventTime: event.eventTime }));
    },
    async productEnded(event) {
      const run = runs.get(event.runId);
      runs.delete(event.runId);
      if (!run || event.summary.status === 'skipped') return;
      const outputs: Record<string, PortResult> = {};
      for (const step of event.summary.steps) {
        outputs[step.port] = { rowCount: step.rowsOut, ...columnLineageOf(lineage, step.columnLineage) };
      }
      const details = { eventTime: event.eventTime, outputs };
      await client.emit(event.summary.status === 'completed' ? lineage.complete(run, details) : lineage.fail(run, new Error(failureOf(event.summary.steps) ?? event.summary.reason ?? 'the run failed'), details));
    },
    async stepStarted(event) {
      const parent = runs.get(event.parentRunId);
      if (!parent) return;
      const steps = event.sql ? { [event.port]: { sql: event.sql.text, compiled: event.sql.compiled } } : {};
      const run = lineage.step(parent, event.port, { runId: event.runId, steps });
      runs.set(event.runId, run);
      await client.emit(lineage.start(run, { eventTime: event.eventTime }));
    },
    async stepEnded(event) {
      const run = runs.get(event.runId);
      runs.delete(event.runId);
      if (!run) return;
      const details = { eventTime: event.eventTime, outputs: { [event.port]: { rowCount: event.summary.rowsOut, ...columnLineageOf(lineage, event.summary.columnLineage) } } };
      await client.emit(event.summary.status === 'completed' ? lineage.complete(run, details) : lineage.fail(run, event.error ?? new Error(event.summary.error ?? 'the step failed'), details));
    },
  };
}

function failureOf(steps: readonly { status: string; port: string; error?: string }[]): string | undefined {
  const failed = steps.find((s) => s.status === 'failed');
  return failed ? `port ${failed.port}: ${failed.error ?? 'failed'}` : undefined;
}

/** The pipeline's column lineage (upstream ports and fields) as the `columnLineage` facet's input fields. */
function columnLineageOf(lineage: ProductLineage, columns: ColumnLineage | undefined): Pick<PortResult, 'columnLineage'> {
  if (!columns || Object.keys(columns).length === 0) return {};
  const fields: Record<string, { inputFields: InputField[] }> = {};
  for (const [output, sources] of Object.entries(columns)) {
    fields[output] = {
      inputFields: sources.map((source) => {
        const dataset = lineage.portDataset(source.product, source.port);
        return { namespace: dataset.namespace, name: dataset.name, field: source.field, transformations: [{ type: 'DIRECT', subtype: source.transformation }] };
      }),
    };
  }
  return { columnLineage: fields };
}
