import { buildPublishBundle } from '../../../catalog/publish/PublishBundle.js';
import type { CatalogStore } from '../../../catalog/store/CatalogStore.js';
import type { Principal } from '../../../catalog/store/Principal.js';
import { createPgliteClient } from '../../db/createPgliteClient.js';
import { InputError } from '../../errors.js';
import { createLineageClient } from '../../lineage/createLineageClient.js';
import { ProductLineage } from '../../lineage/ProductLineage.js';
import { nodeConfigFiles, resolveLineageConfig } from '../../lineage/resolveLineageConfig.js';
import { createStagingAudit } from '../../pipeline/createStagingAudit.js';
import { lineageObserver } from '../../pipeline/lineageObserver.js';
import { runPipelines } from '../../pipeline/runPipelines.js';
import type { RunSummary } from '../../pipeline/RunSummary.js';
import { hasErrors } from '../../problems/Problem.js';
import { assessPort } from '../../quality/assessPort.js';
import type { QualityReport } from '../../quality/QualityReport.js';
import { loadRepository } from '../../repo/loadRepository.js';
import { portTable } from '../../warehouse/portTable.js';
import type { CliIo } from '../CliIo.js';
import { qualityTestHooks } from '../testHooks.js';

/** What the demo did, for its summary. */
export interface DemoOutcome {
  readonly products: number;
  readonly run: RunSummary;
  readonly reports: readonly QualityReport[];
  /** Seconds from the process's start until the demo was ready. */
  readonly seconds: number;
}

const DEMO: Principal = { kind: 'direct', name: 'mesh-demo' };

/**
 * The demo behind `npm start`: the repository's mesh, end to end, into a running catalog. It publishes every
 * product, runs every pipeline (bronze to silver to gold) into an embedded warehouse in memory, tests every port
 * there and records the results, with all OpenLineage events sent over HTTP to the catalog's own ingestion
 * endpoint, as a real deployment would.
 */
export async function runDemo(io: CliIo, root: string, store: CatalogStore, catalogUrl: string): Promise<DemoOutcome> {
  const step = (text: string) => io.stderr.write(`mesh demo [${(performance.now() / 1000).toFixed(1)} s]: ${text}\n`);
  const repository = await loadRepository(root);
  if (hasErrors(repository.problems)) throw new InputError(`the repository in ${root} has errors; run mesh validate`);

  // Lineage goes to this very catalog, with a token of its own; the facet schemas are served here too.
  const { token } = await store.createToken('mesh-demo', DEMO, 'demo lineage');
  const config = resolveLineageConfig(
    { transport: { type: 'http', url: catalogUrl, auth: { type: 'api_key', apiKey: token } }, schemaBaseUrl: catalogUrl },
    io.env,
    nodeConfigFiles(io.cwd, io.env),
  );
  const client = createLineageClient(config, { warn: (message) => io.stderr.write(`mesh demo: ${message}\n`) });
  const lineage = ProductLineage.fromConfig(repository, config);
  const warehouse = await createPgliteClient();
  try {
    step(`publishing ${repository.products.size} products to the catalog`);
    await store.publish(buildPublishBundle(repository), DEMO);
    for (const event of await lineage.publishEvents()) await client.emit(event);

    step('running every pipeline into the embedded warehouse (bronze, silver, gold)');
    const run = await runPipelines({ repository, warehouse, products: 'all', audit: createStagingAudit(), observer: lineageObserver(lineage, client) });

    step('testing every port against its contract, checks and SLA');
    const targets = [...repository.products.values()].flatMap((p) => p.manifest.outputs.map((o) => ({ product: p.id, port: o.port, source: '' })));
    const hooks = qualityTestHooks({ lineage, client }, repository, targets, {
      recordQualityResult: (input) => store.recordQualityResult(input, DEMO),
      recordSlaStatus: (input) => store.recordSlaStatus(input, DEMO),
    });
    const reports: QualityReport[] = [];
    for (const target of targets) {
      const product = repository.products.get(target.product)!;
      const summary = run.products.find((p) => p.product === target.product);
      if (!summary || summary.status === 'skipped') continue;
      await hooks.onStart?.(target);
      const report = await assessPort({
        repository,
        product: target.product,
        port: target.port,
        source: { kind: 'table', client: warehouse, table: portTable(product.manifest, target.port) },
        runs: [{ state: summary.status === 'completed' ? 'COMPLETE' : 'FAIL', endedAt: new Date().toISOString() }],
      });
      reports.push(report);
      await hooks.onResult?.(target, report);
    }
    await hooks.close?.();
    // performance.now() counts from the process's start: the time a user waits after `npm start`.
    return { products: repository.products.size, run, reports, seconds: performance.now() / 1000 };
  } finally {
    await client.close();
    await warehouse.close();
  }
}

/** The GraphQL queries the demo suggests (a test runs each against the demo catalog). */
export const DEMO_QUERIES: readonly { readonly title: string; readonly query: string }[] = [
  {
    title: 'Search the mesh for revenue products, with their quality:',
    query: '{ products(query: "revenue", first: 5) { totalCount edges { node { id name domain layer qualityScore { score grade } } } } }',
  },
  {
    title: "Lineage of finance's revenue back to its bronze sources:",
    query: '{ lineage(node: "product:finance.revenue", direction: UPSTREAM, depth: 5) { truncated nodes { id } } }',
  },
  {
    title: 'Who is affected if sales.orders changes its customer_id field:',
    query: '{ product(id: "sales.orders") { impact(port: "orders", field: "customer_id") { distance fieldLevel product { id } team { name } } } }',
  },
];

/** The summary the demo prints: a line per port, then two queries to try. */
export function formatDemoSummary(outcome: DemoOutcome, graphqlUrl: string): string {
  const lines: string[] = [];
  const { totals } = outcome.run;
  lines.push('', `mesh demo ready in ${outcome.seconds.toFixed(1)} s: ${outcome.products} products, ${totals.ports} ports, ${totals.rowsOut} rows published, ${totals.rejected} rejected into dead-letter tables`, '');
  const width = Math.max(...outcome.reports.map((r) => r.product.length + r.port.length + 1), 4);
  lines.push(`${'port'.padEnd(width)} ${'records'.padStart(8)} ${'invalid'.padStart(8)}  score  grade  freshness  completeness`);
  for (const r of outcome.reports) {
    const score = r.score.score === null ? '  -  ' : r.score.score.toFixed(1).padStart(5);
    lines.push(
      `${`${r.product}.${r.port}`.padEnd(width)} ${String(r.records).padStart(8)} ${String(r.invalid).padStart(8)}  ${score}  ${(r.score.grade ?? '-').padEnd(5)}  ${r.sla.freshness.status.padEnd(9)}  ${r.sla.completeness.status}`,
    );
  }
  const failed = outcome.run.products.filter((p) => p.status !== 'completed');
  if (failed.length > 0) lines.push('', `not completed: ${failed.map((p) => `${p.product} (${p.status}${p.reason ? `: ${p.reason}` : ''})`).join(', ')}`);
  const curl = (query: string) => `curl -s ${graphqlUrl} -H 'content-type: application/json' -d '${JSON.stringify({ query })}'`;
  lines.push('', `GraphQL: ${graphqlUrl}`);
  for (const { title, query } of DEMO_QUERIES) lines.push('', title, curl(query));
  lines.push('');
  return lines.join('\n');
}
