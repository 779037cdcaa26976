import { CatalogClient } from '../../catalog/publish/CatalogClient.js';
import { qualityResultOf, slaStatusOf } from '../../catalog/results/fromQualityReport.js';
import { UsageError } from '../errors.js';
import { portQualityOf } from '../lineage/portQualityOf.js';
import type { PortQuality, ProductLineage, ProductRun } from '../lineage/ProductLineage.js';
import type { LineageClient } from '../lineage/createLineageClient.js';
import type { QualityResultInput, SlaStatusInput } from '../../catalog/store/qualityResults.js';
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

/** What records test results: the catalog's HTTP client, or a store with a principal (the demo). */
export interface QualityRecorder {
  recordQualityResult(input: QualityResultInput): Promise<unknown>;
  recordSlaStatus(input: SlaStatusInput): Promise<unknown>;
  /** Called once every port was tested, to report what was not recorded. */
  close?(): Promise<void>;
}

/** The recorder `--catalog`/`MESH_CATALOG_URL` and `--token`/`MESH_TOKEN` name, if any. */
export function catalogRecorder(io: CliIo, reporting: TestReporting, repository: Repository): QualityRecorder | undefined {
  const catalogUrl = reporting.catalog ?? nonEmpty(io.env['MESH_CATALOG_URL']);
  const token = reporting.token ?? nonEmpty(io.env['MESH_TOKEN']);
  if (catalogUrl === undefined) return undefined;
  if (token === undefined) throw new UsageError('recording results in the catalog needs a token: --token, or MESH_TOKEN');
  return new TeamRecorder(new CatalogClient(catalogUrl.replace(/\/+$/, ''), token), io, (product) => repository.products.get(product)?.manifest.owner?.team);
}

/**
 * Records through the catalog's HTTP API with a team's token. A token writes only its own team's products, so
 * in a repository of several teams (`mesh test --all` in a monorepo's CI) the results of the other teams'
 * products are tested and reported, but not sent; the command says which, once, at the end.
 */
class TeamRecorder implements QualityRecorder {
  private team: Promise<string> | undefined;
  private readonly skipped = new Map<string, Set<string>>();

  constructor(
    private readonly client: CatalogClient,
    private readonly io: CliIo,
    private readonly ownerOf: (product: string) => string | undefined,
  ) {}

  async recordQualityResult(input: QualityResultInput): Promise<unknown> {
    return (await this.owns(input.productId)) ? this.client.recordQualityResult(input) : undefined;
  }

  async recordSlaStatus(input: SlaStatusInput): Promise<unknown> {
    return (await this.owns(input.productId)) ? this.client.recordSlaStatus(input) : undefined;
  }

  async close(): Promise<void> {
    if (this.skipped.size === 0) return;
    const team = await this.team!;
    const others = [...this.skipped].map(([owner, products]) => `${owner} (${[...products].sort().join(', ')})`).join('; ');
    this.io.stderr.write(`mesh test: results not recorded in the catalog for products the token's team ${team} does not own: ${others}; record them with their team's token\n`);
  }

  private async owns(product: string): Promise<boolean> {
    this.team ??= this.client.whoami().then((who) => who.team);
    const team = await this.team;
    const owner = this.ownerOf(product);
    // A product the repository does not know is left to the catalog to refuse, with its own reason.
    if (owner === undefined || owner === team) return true;
    let products = this.skipped.get(owner);
    if (!products) this.skipped.set(owner, (products = new Set()));
    products.add(product);
    return false;
  }
}

/**
 * What `mesh test` reports besides its output. OpenLineage: one test run per product (job `<id>.test`), START
 * before its first port is read, then COMPLETE with the `dataQualityMetrics` and `dataQualityAssertions` input
 * facets of every port tested, or FAIL when a port could not be read. The catalog, when one is named: each port's
 * quality result (tied to the test run) and SLA status.
 */
export function testHooks(io: CliIo, repository: Repository, targets: readonly TestTarget[], reporting: TestReporting): QualityTestHooks {
  return qualityTestHooks(openLineage(io, repository), repository, targets, catalogRecorder(io, reporting, repository));
}

/** The hooks, given where events and results go. */
export function qualityTestHooks(
  { lineage, client }: { lineage: ProductLineage; client: LineageClient },
  repository: Repository,
  targets: readonly TestTarget[],
  catalog: QualityRecorder | undefined,
): QualityTestHooks {
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
      await catalog?.close?.();
      await client.close();
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
