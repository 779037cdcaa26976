import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenLineageValidator, vendoredSpecDir } from '../../platform/lineage/OpenLineageValidator.js';

const UPSTREAM = join(import.meta.dirname, '..', '..', '..', 'shared', 'openlineage', 'spec');

const validator = OpenLineageValidator.fromDirectory(vendoredSpecDir());

function runEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'START',
    eventTime: '2026-11-26T10:00:00.000Z',
    producer: 'https://github.com/mesh-data/mesh/v0.1.0',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '0196b7b0-9c1e-7d2a-8f00-0123456789ab', facets: {} },
    job: { namespace: 'mesh', name: 'sales.orders', facets: {} },
    inputs: [],
    outputs: [],
    ...overrides,
  };
}

describe('OpenLineageValidator', () => {
  it('knows every standard facet by key and place', () => {
    const facets = validator.knownFacets();
    expect(facets.length).toBeGreaterThanOrEqual(38);
    const metrics = facets.filter((f) => f.key === 'dataQualityMetrics').map((f) => f.places.join(','));
    expect(metrics.sort()).toEqual(['dataset', 'inputDataset']);
  });

  it('accepts a minimal run event', () => {
    expect(validator.validate(runEvent())).toEqual([]);
  });

  it('rejects a run id that is not a UUID, at its pointer', () => {
    const problems = validator.validate(runEvent({ run: { runId: 'nope' } }));
    expect(problems.map((p) => p.pointer)).toContain('/run/runId');
  });

  it('reports every violation, though it decides at the first one', () => {
    const problems = validator.validate(runEvent({ eventTime: 'yesterday', producer: 'not a uri', run: { runId: 'nope' } }));
    expect(problems.map((p) => p.pointer).sort()).toEqual(['/eventTime', '/producer', '/run/runId']);
  });

  it('gives a remembered URI verdict the same as the first one, for valid and invalid URIs alike', () => {
    for (let i = 0; i < 3; i++) {
      expect(validator.validate(runEvent({ producer: 'relative/path' })).map((p) => p.pointer)).toEqual(['/producer']);
      expect(validator.validate(runEvent({ producer: 'https://example.com/p' }))).toEqual([]);
    }
  });

  it('checks a facet against its own schema at its place', () => {
    const bad = runEvent({
      inputs: [
        {
          namespace: 'postgres://warehouse',
          name: 'gold.orders',
          inputFacets: {
            dataQualityAssertions: {
              _producer: 'https://github.com/mesh-data/mesh',
              _schemaURL: 'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json',
              assertions: [{ assertion: 'not_null' }],
            },
          },
        },
      ],
    });
    const problems = validator.validate(bad);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.pointer).toBe('/inputs/0/inputFacets/dataQualityAssertions/assertions/0');
    expect(problems[0]!.schema).toContain('DataQualityAssertionsDatasetFacet');
  });

  it('the vendored spec is byte-identical to the upstream copy in ../shared', () => {
    if (!existsSync(UPSTREAM)) {
      if (process.env['MESH_REQUIRE_SHARED'] === '1') throw new Error(`../shared/openlineage/spec is missing at ${UPSTREAM}`);
      return;
    }
    const ours = vendoredSpecDir();
    expect(readFileSync(join(ours, 'OpenLineage.json'), 'utf8')).toBe(readFileSync(join(UPSTREAM, 'OpenLineage.json'), 'utf8'));
    for (const file of readdirSync(join(UPSTREAM, 'facets'))) {
      expect(readFileSync(join(ours, 'facets', file), 'utf8'), file).toBe(readFileSync(join(UPSTREAM, 'facets', file), 'utf8'));
    }
  });

  it('accepts every upstream sample facet at its place', () => {
    const tests = join(UPSTREAM, 'tests');
    if (!existsSync(tests)) return;
    const event = JSON.parse(readFileSync(join(tests, 'example_full_event.json'), 'utf8'));
    expect(validator.validate(event)).toEqual([]);
  });
});
