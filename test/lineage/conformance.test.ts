import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLineageClient, type LineageClient } from '../../platform/lineage/createLineageClient.js';
import { emitHookCount } from '../../platform/lineage/emitHooks.js';
import { MESH_FACETS } from '../../platform/lineage/meshFacets.js';
import type { OpenLineageEvent } from '../../platform/lineage/OpenLineageEvent.js';
import { ProductLineage } from '../../platform/lineage/ProductLineage.js';
import { qualityAssertion } from '../../platform/lineage/qualityAssertion.js';
import { resolveLineageConfig } from '../../platform/lineage/resolveLineageConfig.js';
import type { Transport } from '../../platform/lineage/transports/Transport.js';
import { conformanceState, SHARED_SPEC_DIR } from '../setup/lineageConformance.js';
import { fixtureRepository } from './support.js';

/** Every (place, key) the issue lists, and mesh's own facet at both its places. */
const REQUIRED_FACETS = [
  'dataset:schema',
  'dataset:ownership',
  'job:ownership',
  'dataset:documentation',
  'job:documentation',
  'dataset:dataSource',
  'job:jobType',
  'job:sql',
  'job:sourceCodeLocation',
  'run:parent',
  'run:errorMessage',
  'run:processing_engine',
  'inputDataset:dataQualityMetrics',
  'inputDataset:dataQualityAssertions',
  'dataset:columnLineage',
  'dataset:lifecycleStateChange',
  'dataset:version',
  'dataset:tags',
  'job:tags',
  'outputDataset:outputStatistics',
  'dataset:mesh_dataProduct',
  'job:mesh_dataProduct',
];

function capturingClient(): { client: LineageClient; sent: OpenLineageEvent[] } {
  const sent: OpenLineageEvent[] = [];
  const transport: Transport = {
    kind: 'capture',
    async emit(event) {
      sent.push(event);
    },
  };
  const config = resolveLineageConfig({ transport: { type: 'noop' } }, {}, { cwd: '/', homeDir: undefined, readFile: () => undefined });
  return { client: createLineageClient(config, { transport }), sent };
}

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'platform', 'index.js');

describe('OpenLineage conformance of every emitted event', () => {
  it('checks against ../shared/openlineage/spec (required in CI)', () => {
    const present = existsSync(join(SHARED_SPEC_DIR, 'OpenLineage.json'));
    if (process.env['MESH_REQUIRE_SHARED'] === '1') expect(present, `../shared/openlineage/spec is missing at ${SHARED_SPEC_DIR}`).toBe(true);
    const state = conformanceState();
    expect(state, 'test/setup/lineageConformance.ts is not installed (vitest setupFiles)').toBeDefined();
    if (present) expect(state!.specDir).toBe(SHARED_SPEC_DIR);
  });

  it('has a validating hook on every lineage client, with the standard facets and mesh facets loaded', () => {
    expect(emitHookCount()).toBeGreaterThanOrEqual(1);
    const known = conformanceState()!.validator().knownFacets();
    expect(known.length).toBeGreaterThanOrEqual(38 + MESH_FACETS.length);
    for (const facet of MESH_FACETS) {
      expect(known.some((k) => k.key === facet.key && k.places.includes(facet.place)), facet.name).toBe(true);
    }
  });

  it('refuses a non-conforming event at emit, with the pointer, and records it', async () => {
    const state = conformanceState()!;
    const { client, sent } = capturingClient();
    const bad = {
      eventType: 'START',
      eventTime: 'yesterday',
      producer: 'https://github.com/mesh-data/mesh',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: 'not-a-uuid' },
      job: { namespace: 'mesh', name: 'x' },
      inputs: [],
      outputs: [],
    } as unknown as OpenLineageEvent;
    await expect(client.emit(bad)).rejects.toThrow(/\/run\/runId/);
    expect(sent).toEqual([]);
    const found = state.violations.splice(0);
    expect(found).toHaveLength(1);
    expect(found[0]!.violations.map((v) => v.pointer).sort()).toEqual(['/eventTime', '/run/runId']);
  });

  it("checks mesh's own facet against its own schema", async () => {
    const state = conformanceState()!;
    const repository = await fixtureRepository();
    const lineage = new ProductLineage(repository);
    const event = lineage.start(lineage.run('sales.orders'));
    const output = event.outputs[0]!;
    const broken = {
      ...event,
      outputs: [{ ...output, facets: { ...output.facets, mesh_dataProduct: { ...output.facets!['mesh_dataProduct']!, port: 'Not A Port' } } }],
    };
    const { client } = capturingClient();
    await expect(client.emit(broken)).rejects.toThrow(/mesh_dataProduct\/port/);
    const found = state.violations.splice(0);
    expect(found[0]!.violations[0]!.schema).toContain('MeshDataProductDatasetFacet');
  });

  it('every kind of event mesh builds conforms, and together they carry every facet mesh emits', async () => {
    const state = conformanceState()!;
    const before = state.checked;
    const repository = await fixtureRepository();
    const lineage = new ProductLineage(repository, {
      sourceCodeLocation: (product) => ({
        type: 'git',
        url: `https://github.com/acme/mesh/blob/0123abc/${product.file}`,
        repoUrl: 'https://github.com/acme/mesh.git',
        path: product.dir,
        version: '0123abc',
      }),
    });
    const { client, sent } = capturingClient();
    const steps = { orders: { sql: 'select * from {{ ref(\'sales.customers\', \'customers\') }}', compiled: 'select * from silver.sales_customers' } };

    for (const id of ['sales.customers', 'sales.orders', 'marketing.clicks']) {
      const run = lineage.run(id, { steps: id === 'sales.orders' ? steps : {} });
      await client.emit(lineage.start(run));
      for (const output of lineage.product(id).manifest.outputs) {
        const step = lineage.step(run, output.port);
        await client.emit(lineage.start(step));
        await client.emit(lineage.complete(step, { outputs: { [output.port]: { rowCount: 3 } } }));
      }
      await client.emit(lineage.complete(run, { outputs: { [lineage.product(id).manifest.outputs[0]!.port]: { rowCount: 12, size: 2048 } } }));
      const failed = lineage.run(id);
      await client.emit(lineage.start(failed));
      await client.emit(lineage.fail(failed, new Error('relation "crm_orders" does not exist')));
    }

    const manifest = lineage.product('sales.orders').manifest;
    const test = lineage.test('sales.orders');
    await client.emit(lineage.start(test));
    await client.emit(
      lineage.complete(test, {
        quality: {
          orders: {
            metrics: { rowCount: 12, columnMetrics: { order_id: { nullCount: 0, distinctCount: 12 }, total: { nullCount: 0, min: 3.5, max: 99.9, sum: 410.25 } } },
            assertions: (manifest.quality ?? []).map((check) => qualityAssertion(check, { success: true, actual: 0 })),
          },
        },
      }),
    );
    for (const event of await lineage.publishEvents()) await client.emit(event);

    expect(sent.length).toBeGreaterThan(20);
    expect(state.checked - before).toBe(sent.length);
    expect(state.violations).toEqual([]);
    const missing = REQUIRED_FACETS.filter((f) => !state.facetsSeen.has(f));
    expect(missing).toEqual([]);
  });

  it('clients in child processes the tests start validate their events too', async () => {
    expect(process.env['MESH_LINEAGE_VALIDATE']).toBe('1');
    expect(existsSync(DIST), `${DIST} is missing: run npm run build`).toBe(true);
    const lineage = new ProductLineage(await fixtureRepository());
    const good = lineage.start(lineage.run('sales.orders'));
    const bad = { ...good, run: { runId: 'not-a-uuid' } };
    const script = `
      import { createLineageClient, resolveLineageConfig, nodeConfigFiles } from ${JSON.stringify(DIST)};
      const config = resolveLineageConfig({ transport: { type: 'noop' } }, process.env, nodeConfigFiles(process.cwd(), process.env));
      const client = createLineageClient(config);
      await client.emit(JSON.parse(process.argv[1]));
      process.stdout.write('emitted');
    `;
    const runChild = (event: unknown) => spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(event)], { encoding: 'utf8', env: process.env });
    const ok = runChild(good);
    expect(ok.stdout).toBe('emitted');
    const refused = runChild(bad);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('not a valid OpenLineage event');
    expect(refused.stderr).toContain('/run/runId');
  });
});
