import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOG_URL,
  MESH_FACETS,
  meshFacetSchema,
  meshFacetSchemaUrl,
} from '../../platform/lineage/meshFacets.js';
import { createDatasetEvent, createJobEvent, createRunEvent, EVENT_SCHEMA_URLS, eventKind } from '../../platform/lineage/OpenLineageEvent.js';
import { OpenLineageValidator, vendoredSpecDir, type FacetPlace } from '../../platform/lineage/OpenLineageValidator.js';
import { FacetFactory, STANDARD_FACET_SCHEMA_URLS, type CustomFacet } from '../../platform/lineage/StandardFacets.js';
import { uuidv7, uuidv7Time } from '../../platform/lineage/uuidv7.js';

const validator = OpenLineageValidator.forMesh();
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('writes version 7 and the RFC 4122 variant, with the time in the first 48 bits', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0, 123);
    const id = uuidv7(now);
    expect(id).toMatch(UUID_V7);
    expect(uuidv7Time(id)).toBe(now);
  });

  it('sorts in creation order, also within one millisecond and when the clock steps back', () => {
    const ms = Date.UTC(2030, 0, 1);
    const ids = [
      ...Array.from({ length: 5000 }, () => uuidv7(ms)),
      uuidv7(ms - 10), // clock stepped back: still after the previous ids
      ...Array.from({ length: 10 }, (_, i) => uuidv7(ms + 1 + i)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});

describe('standard facets', () => {
  const known = validator.knownFacets();
  const cases = Object.entries(STANDARD_FACET_SCHEMA_URLS).flatMap(([place, byKey]) =>
    Object.entries(byKey).map(([key, url]) => ({ place: place as FacetPlace, key, url })),
  );

  it.each(cases)('$place $key points at the version of the vendored spec', ({ place, key, url }) => {
    const [id, pointer] = url.split('#');
    const facet = known.find((k) => k.key === key && k.places.includes(place));
    expect(facet, `${key} is not a ${place} facet in the spec`).toBeDefined();
    expect(id).toBe(facet!.schemaId);
    const file = facet!.schemaId.slice(facet!.schemaId.lastIndexOf('/') + 1);
    const schema = JSON.parse(readFileSync(join(vendoredSpecDir(), 'facets', file), 'utf8')) as { $defs: Record<string, unknown> };
    expect(pointer).toMatch(/^\/\$defs\//);
    expect(schema.$defs[pointer!.slice('/$defs/'.length)]).toBeDefined();
  });

  it('stamps _producer and _schemaURL on every facet it builds', () => {
    const f = new FacetFactory('https://example.com/producer');
    const facet = f.dataset.schema([{ name: 'id', type: 'string' }]);
    expect(facet).toEqual({
      _producer: 'https://example.com/producer',
      _schemaURL: STANDARD_FACET_SCHEMA_URLS.dataset.schema,
      fields: [{ name: 'id', type: 'string' }],
    });
    expect(f.job.ownership([{ name: 'team:a' }])._schemaURL).toBe(STANDARD_FACET_SCHEMA_URLS.job.ownership);
    expect(f.dataset.ownership([{ name: 'team:a' }])._schemaURL).toBe(STANDARD_FACET_SCHEMA_URLS.dataset.ownership);
  });
});

describe('events', () => {
  const producer = 'https://github.com/mesh-data/mesh/tree/v0.1.0/platform/lineage';
  const job = { namespace: 'mesh', name: 'sales.orders' };

  it('builds the three kinds with the schemaURL of their definition', () => {
    const run = createRunEvent({ eventType: 'START', producer, run: { runId: uuidv7() }, job, eventTime: new Date(0) });
    const jobEvent = createJobEvent({ producer, job, eventTime: '2026-11-26T10:00:00Z' });
    const dataset = createDatasetEvent({ producer, dataset: { namespace: 'postgres://warehouse', name: 'gold.sales_orders' } });
    expect(run.eventTime).toBe('1970-01-01T00:00:00.000Z');
    expect(run.schemaURL).toBe(EVENT_SCHEMA_URLS.RunEvent);
    expect(jobEvent.schemaURL).toBe(EVENT_SCHEMA_URLS.JobEvent);
    expect(dataset.schemaURL).toBe(EVENT_SCHEMA_URLS.DatasetEvent);
    expect([run, jobEvent, dataset].map(eventKind)).toEqual(['RunEvent', 'JobEvent', 'DatasetEvent']);
    for (const event of [run, jobEvent, dataset]) expect(validator.validate(event)).toEqual([]);
  });

  it('the event schemaURLs point at definitions of the core schema', () => {
    const core = JSON.parse(readFileSync(join(vendoredSpecDir(), 'OpenLineage.json'), 'utf8')) as { $id: string; $defs: Record<string, unknown> };
    for (const [kind, url] of Object.entries(EVENT_SCHEMA_URLS)) {
      expect(url).toBe(`${core.$id}#/$defs/${kind}`);
      expect(core.$defs[kind]).toBeDefined();
    }
  });
});

describe("mesh's own facet schemas", () => {
  it.each(MESH_FACETS)('$name is in the official facet format, under a mesh_ key, at its place', (facet) => {
    const schema = meshFacetSchema(facet.name);
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe(`${DEFAULT_CATALOG_URL}${facet.urlPath}`);
    expect(Object.keys(schema['properties'] as object)).toEqual([facet.key]);
    expect(facet.key.startsWith('mesh_')).toBe(true);
    expect((schema['properties'] as Record<string, unknown>)[facet.key]).toEqual({ $ref: `#/$defs/${facet.name}` });
    const known = validator.knownFacets().find((k) => k.schemaId === schema['$id']);
    expect(known).toEqual({ key: facet.key, places: [facet.place], schemaId: schema['$id'] });
  });

  it('is served under <catalog>/schemas/facets/1-0-0/<Name>.json, and names itself by that URL', () => {
    expect(meshFacetSchemaUrl('https://catalog.example.com/', 'MeshDataProductDatasetFacet')).toBe(
      'https://catalog.example.com/schemas/facets/1-0-0/MeshDataProductDatasetFacet.json#/$defs/MeshDataProductDatasetFacet',
    );
    const served = meshFacetSchema('MeshDataProductJobFacet', 'https://catalog.example.com');
    expect(served['$id']).toBe('https://catalog.example.com/schemas/facets/1-0-0/MeshDataProductJobFacet.json');
    // The shipped copy is not changed by serving it elsewhere.
    expect(meshFacetSchema('MeshDataProductJobFacet')['$id']).toBe(`${DEFAULT_CATALOG_URL}/schemas/facets/1-0-0/MeshDataProductJobFacet.json`);
  });

  it('a validator loaded with a catalog-served copy checks the facet the same way', () => {
    const served = MESH_FACETS.map((f) => meshFacetSchema(f.name, 'https://catalog.example.com'));
    const other = OpenLineageValidator.fromDirectory(vendoredSpecDir(), served);
    const facet = { _producer: 'https://x.example', _schemaURL: 'https://catalog.example.com/x', domain: 'sales', product: 'sales.orders' };
    const event = createJobEvent({ producer: 'https://x.example', job: { namespace: 'mesh', name: 'sales.orders', facets: { mesh_dataProduct: facet } } });
    expect(other.validate(event)).toEqual([]);
    const wrong = { ...facet, product: 'orders' } satisfies CustomFacet;
    const bad = createJobEvent({ producer: 'https://x.example', job: { namespace: 'mesh', name: 'sales.orders', facets: { mesh_dataProduct: wrong } } });
    expect(other.validate(bad).map((v) => v.pointer)).toEqual(['/job/facets/mesh_dataProduct/product']);
  });
});
