import { fileURLToPath } from 'node:url';
import { createGraphQLHandler } from '../../catalog/graphql/createGraphQLHandler.js';
import type { JitOptions } from '../../catalog/graphql/jitExecutor.js';
import type { QueryLimits } from '../../catalog/graphql/limits.js';
import type { ReadModelOptions } from '../../catalog/graphql/readModel/CatalogReadModel.js';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import { CatalogServer } from '../../catalog/server/CatalogServer.js';
import { facetSchemaRoutes } from '../../catalog/server/facetSchemaRoutes.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { meshFacetSchemas } from '../../platform/lineage/meshFacets.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';

/** The repository's own example mesh (19 products in three domains). */
export const EXAMPLE_MESH = fileURLToPath(new URL('../..', import.meta.url));

/** A catalog server as `mesh serve` wires it: GraphQL at /graphql, facet schemas, ingestion, publishing. */
export async function startGraphQLCatalog(store: CatalogStore, options: { log?: (line: string) => void; limits?: Partial<QueryLimits>; authReads?: boolean; readModel?: boolean | ReadModelOptions; executor?: 'jit' | 'graphql-js'; jit?: JitOptions } = {}) {
  const server = new CatalogServer({ store, tokenCacheMs: 0, authReads: options.authReads ?? false, extraFacetSchemas: meshFacetSchemas(), ...(options.log ? { log: options.log } : {}) });
  for (const route of facetSchemaRoutes()) server.route(route);
  const graphql = await createGraphQLHandler({ store, ...(options.log ? { log: options.log } : {}), ...(options.limits ? { limits: options.limits } : {}), ...(options.readModel === undefined ? {} : { readModel: options.readModel }), ...(options.executor ? { executor: options.executor } : {}), ...(options.jit ? { jit: options.jit } : {}) });
  server.mount('/graphql', graphql);
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    server,
    url,
    graphqlUrl: `${url}/graphql`,
    /** The GraphQL read models (`undefined` when off); `ready()` waits until they are built and current. */
    readModel: graphql.readModel,
    async close() {
      await server.close();
      await graphql.stop();
    },
  };
}

/** Publishes the example mesh as a direct (administrator) principal. */
export async function publishExampleMesh(store: CatalogStore): Promise<void> {
  const repository = await loadRepository(EXAMPLE_MESH);
  await store.publish(buildPublishBundle(repository), { kind: 'direct', name: 'test' });
}

/** The benchmark's product page (`test/bench/graphql.bench.ts`): every field of a product's detail page, and its last runs. */
export const PRODUCT_DETAIL_QUERY = /* GraphQL */ `
query Detail($id: ID!) {
  product(id: $id) {
    id name domain version status description tags layer pattern file publishedAt updatedAt
    owner { team email slack }
    sla { freshnessMax freshnessColumn availability completeness }
    inputs { productId port fields description product { id name } dataset { id name } }
    outputs {
      name description compatibility status
      dataset { id namespace name }
      contract { path version title fields { name type required nullable pii classification description primaryKey } }
      qualityScore { score grade measuredAt }
      slaStatus { freshness availability completeness }
    }
    consumers { port fields product { id name domain } team { name } }
    versions { seq version publishedAt publishedBy }
    runs(first: 5) { id job state startedAt endedAt }
    slaStatus { measuredAt freshness freshnessLagSeconds freshnessMaxSeconds availability availabilityPercent completeness completenessPercent }
    qualityScore { score grade measuredAt dimensions { name score weight detail } }
  }
}`;
