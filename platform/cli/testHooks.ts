import { CatalogClient } from '../../catalog/publish/CatalogClient.js';
import { qualityResultOf, slaStatusOf } from '../../catalog/results/fromQualityReport.js';
import { UsageError } from '../errors.js';
import { portQualityOf } from '../lineage/portQualityOf.js';
import type { PortQuality, ProductRun } from '../lineage/ProductLineage.js';
import type { QualityReport } from '../quality/QualityReport.js';
import type { Repository } from '../repo/Repository.js';
import type { CliIo } from './CliIo.js';
import type { QualityTestHooks, TestTarget } from './commands/test.js';
import { openLineage } from './openLineage.js';

/** Where `mesh test` records results: `--catalog` (else `MESH_CATALOG_URL`) with `--token` (else `MESH_TOKEN`). */
export interface TestReporting {
  readonly catalog?: string | undefined;
  readonly token?: string | undefined;
}

/**
 * What `mesh test` reports besides its output. OpenLineage: one test run per product (job `<id>.test`), START
 * before its first port is read, then COMPLETE with the `dataQualityMetrics` and `dataQualityAssertions` input
 * facets of every port tested, or FAIL when a port could not be read. The catalog, when one is named: each port's
 * quality result (tied to the test run) and SLA status.
 */
export function testHooks(io: CliIo, repository: Repository, targets: readonly TestTarget[], reporting: TestReporting): QualityTestHooks {
  const catalogUrl = reporting.catalog ?? nonEmpty(io.env['MESH_CATALOG_URL']);
  const token = reporting.token ?? nonEmpty(io.env['MESH_TOKEN']);
  if (catalogUrl !== undefined && token === undefined) throw new UsageError('recording results in the catalog needs a token: --token, or MESH_TOKEN');
  const catalog = catalogUrl !== undefined ? new CatalogClient(catalogUrl.replace(/\/+$/, ''), token!) : undefined;
  const { lineage, client } = openLineage(io, repository);

  interface Open {
    readonly run: ProductRun;
    readonly left: Set<string>;
    readonly quality: Record<string, PortQuality>;
    error?: unknown;
  }
  const open = new Map<string, Open>();
  const finish = async (product: string, port: string) => {
    const state = open.get(product)!;
    state.left.delete(port);
    if (state.left.size > 0) return;
    open.delete(product);
    const details = { quality: state.quality };
    await client.emit(state.error !== undefined ? lineage.fail(state.run, state.error, details) : lineage.complete(state.run, details));
  };

  return {
    async onStart(target) {
      if (open.has(target.product)) return;
      const run = lineage.test(target.product);
      const ports = targets.filter((t) => t.product === target.product).map((t) => t.port);
      open.set(target.product, { run, left: new Set(ports), quality: {} });
      await client.emit(lineage.start(run));
    },
    async onResult(target, report: QualityReport) {
      const state = open.get(target.product)!;
      state.quality[target.port] = portQualityOf(report, repository.products.get(target.product)?.manifest.quality ?? []);
      if (catalog) {
        await catalog.recordQualityResult(qualityResultOf(report, state.run.runId));
        await catalog.recordSlaStatus(slaStatusOf(report));
      }
      await finish(target.product, target.port);
    },
    async onError(target, error) {
      const state = open.get(target.product);
      if (!state) return;
      state.error ??= error;
      await finish(target.product, target.port);
    },
    async close() {
      await client.close();
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
