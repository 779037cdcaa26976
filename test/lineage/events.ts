import type { RunEvent } from '../../platform/lineage/OpenLineageEvent.js';
import { ProductLineage } from '../../platform/lineage/ProductLineage.js';
import { fixtureRepository } from './support.js';

/**
 * `count` realistic run events of the fixture mesh, START and COMPLETE of successive runs of its products,
 * each with its own run id: what a busy `mesh run` emits.
 */
export async function realisticEvents(count: number): Promise<RunEvent[]> {
  const lineage = new ProductLineage(await fixtureRepository());
  const products = ['sales.customers', 'sales.orders', 'marketing.clicks'];
  const events: RunEvent[] = [];
  for (let i = 0; events.length < count; i++) {
    const id = products[i % products.length]!;
    const run = lineage.run(id);
    events.push(lineage.start(run));
    if (events.length < count) events.push(lineage.complete(run, { outputs: { [lineage.product(id).manifest.outputs[0]!.port]: { rowCount: i } } }));
  }
  return events;
}

/** What identifies one event among those above. */
export function eventKey(event: { run?: { runId?: unknown }; eventType?: unknown }): string {
  return `${String(event.run?.runId)}:${String(event.eventType)}`;
}
