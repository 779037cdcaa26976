import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataProductManifest, Output } from '../manifest/DataProductManifest.js';
import { packageRoot } from '../util/packageRoot.js';
import type { FacetPlace } from './OpenLineageValidator.js';
import type { Facet } from './StandardFacets.js';

/**
 * mesh's own facets, in the official facet format (one JSON Schema per facet, its root validating the facets
 * map entry `{key: facet}`, built on the core's DatasetFacet or JobFacet). Keys carry the `mesh_` prefix, as
 * the spec asks of custom facets, so they never collide with standard ones.
 *
 * The catalog serves each schema at `<catalog base URL>/schemas/facets/<version>/<Name>.json`, and events point
 * there in `_schemaURL`. The files shipped in `platform/lineage/schemas/` carry the `$id` of the default catalog
 * (`http://localhost:4000`); `meshFacetSchema(name, baseUrl)` gives the schema with the `$id` of another one.
 */

/** Version of mesh's facet schemas, in the spec's URL form. */
export const MESH_FACET_VERSION = '1-0-0';

/** Where the catalog (`mesh serve`, default port 4000) runs when nothing else says. */
export const DEFAULT_CATALOG_URL = 'http://localhost:4000';

/** The facet key, shared by the dataset and the job facet (as `documentation` is in the standard set). */
export const MESH_FACET_KEY = 'mesh_dataProduct';

export type MeshFacetName = 'MeshDataProductDatasetFacet' | 'MeshDataProductJobFacet';

export interface MeshFacetDescriptor {
  readonly name: MeshFacetName;
  readonly key: typeof MESH_FACET_KEY;
  readonly place: FacetPlace;
  /** The URL path the catalog serves the schema at, e.g. `/schemas/facets/1-0-0/MeshDataProductDatasetFacet.json`. */
  readonly urlPath: string;
  /** Absolute path of the schema file shipped with mesh. */
  readonly file: string;
}

function descriptor(name: MeshFacetName, place: FacetPlace): MeshFacetDescriptor {
  const relative = `schemas/facets/${MESH_FACET_VERSION}/${name}.json`;
  return {
    name,
    key: MESH_FACET_KEY,
    place,
    urlPath: `/${relative}`,
    get file() {
      return join(packageRoot(), 'platform', 'lineage', relative);
    },
  };
}

/** Every facet schema of mesh's own, for the catalog to serve and validators to load. */
export const MESH_FACETS: readonly MeshFacetDescriptor[] = [
  descriptor('MeshDataProductDatasetFacet', 'dataset'),
  descriptor('MeshDataProductJobFacet', 'job'),
];

const loaded = new Map<MeshFacetName, Record<string, unknown>>();

/**
 * The JSON Schema of one of mesh's facets. With `baseUrl`, its `$id` is where that catalog serves it, so a
 * schema fetched from a catalog names itself by the URL it was fetched from.
 */
export function meshFacetSchema(name: MeshFacetName, baseUrl?: string): Record<string, unknown> {
  let schema = loaded.get(name);
  if (!schema) {
    const found = MESH_FACETS.find((f) => f.name === name);
    if (!found) throw new Error(`unknown mesh facet ${name}`);
    schema = JSON.parse(readFileSync(found.file, 'utf8')) as Record<string, unknown>;
    loaded.set(name, schema);
  }
  const copy = structuredClone(schema);
  if (baseUrl !== undefined) copy['$id'] = meshFacetSchemaUrl(baseUrl, name, false);
  return copy;
}

/** Every mesh facet schema as shipped, in the form `OpenLineageValidator` takes as extra facet schemas. */
export function meshFacetSchemas(): Record<string, unknown>[] {
  return MESH_FACETS.map((f) => meshFacetSchema(f.name));
}

/**
 * The URL of a mesh facet schema at a catalog: `<base>/schemas/facets/1-0-0/<Name>.json`, followed by the
 * pointer to the facet's definition (`#/$defs/<Name>`) when `withPointer`, as `_schemaURL` is written.
 */
export function meshFacetSchemaUrl(baseUrl: string, name: MeshFacetName, withPointer = true): string {
  const base = baseUrl.replace(/\/+$/, '');
  const found = MESH_FACETS.find((f) => f.name === name)!;
  return `${base}${found.urlPath}${withPointer ? `#/$defs/${name}` : ''}`;
}

/** The team accountable for a product, as both mesh facets carry it. */
export interface MeshOwner {
  readonly team: string;
  readonly email?: string;
  readonly name?: string;
}

export interface MeshDataProductDatasetFacetBody {
  readonly domain: string;
  readonly product: string;
  readonly productVersion?: string;
  readonly port: string;
  readonly contract?: string;
  readonly contractVersion?: string;
  readonly compatibility?: 'backward' | 'forward' | 'full' | 'none';
  readonly layer?: DataProductManifest['layer'];
  readonly status?: DataProductManifest['status'];
  readonly owner?: MeshOwner;
}

export interface MeshDataProductJobFacetBody {
  readonly domain: string;
  readonly product: string;
  readonly productVersion?: string;
  readonly layer?: DataProductManifest['layer'];
  readonly pattern?: DataProductManifest['pattern'];
  readonly status?: DataProductManifest['status'];
  readonly owner?: MeshOwner;
}

export type MeshDataProductDatasetFacet = Facet<MeshDataProductDatasetFacetBody>;
export type MeshDataProductJobFacet = Facet<MeshDataProductJobFacetBody>;

/** What both facets say of the product itself. */
function productFields(manifest: DataProductManifest) {
  const owner = manifest.owner;
  return {
    domain: manifest.domain,
    product: manifest.id,
    productVersion: manifest.version,
    layer: manifest.layer,
    status: manifest.status,
    ...(owner ? { owner: { team: owner.team, email: owner.email, ...(owner.name !== undefined ? { name: owner.name } : {}) } } : {}),
  };
}

/** The dataset facet for one output port of a product. */
export function meshDatasetFacet(
  producer: string,
  baseUrl: string,
  manifest: DataProductManifest,
  output: Output,
  contractVersion: string | undefined,
): MeshDataProductDatasetFacet {
  return {
    _producer: producer,
    _schemaURL: meshFacetSchemaUrl(baseUrl, 'MeshDataProductDatasetFacet'),
    ...productFields(manifest),
    port: output.port,
    contract: output.contract,
    ...(contractVersion !== undefined ? { contractVersion } : {}),
    compatibility: output.compatibility ?? 'forward',
  };
}

/** The job facet for a product's pipeline or data test. */
export function meshJobFacet(producer: string, baseUrl: string, manifest: DataProductManifest): MeshDataProductJobFacet {
  return {
    _producer: producer,
    _schemaURL: meshFacetSchemaUrl(baseUrl, 'MeshDataProductJobFacet'),
    ...productFields(manifest),
    pattern: manifest.pattern,
  };
}
