import { MESH_FACETS, meshFacetSchema } from '../../platform/lineage/meshFacets.js';
import type { Route } from './CatalogServer.js';

/**
 * `GET /schemas/facets/<version>/<Name>.json` for each of mesh's own facets, so that the `_schemaURL` of every
 * event mesh emits resolves at the catalog that received it. The schema's `$id` names the URL it was fetched
 * from (the request's Host), as a schema fetched from a catalog should.
 */
export function facetSchemaRoutes(): Route[] {
  return MESH_FACETS.map((facet) => ({
    method: 'GET',
    path: facet.urlPath,
    access: 'open',
    async handle(context) {
      const host = context.req.headers.host;
      return { status: 200, body: meshFacetSchema(facet.name, host === undefined ? undefined : `http://${host}`) };
    },
  }));
}
