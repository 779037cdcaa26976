import type { Migration } from './Migration.js';

/**
 * Indexes for the GraphQL catalog's reads. Jobs and datasets that OpenLineage events tie to a data product
 * through mesh's own facet (`mesh_dataProduct.product`) are found by product: a product's runs are the runs of
 * those jobs (with the jobs that write its ports' datasets).
 */
export const migration: Migration = {
  version: 2,
  name: 'graphql',
  sql: /* sql */ `
create index lineage_nodes_mesh_product on lineage_nodes ((facets #>> '{mesh_dataProduct,product}'))
  where kind in ('job', 'dataset') and facets ? 'mesh_dataProduct';
`,
};
