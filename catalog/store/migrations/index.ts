import type { Migration } from './Migration.js';
import { migration as catalog } from './0001_catalog.js';
import { migration as graphql } from './0002_graphql.js';
import { migration as graphqlIndexes } from './0004_graphql_indexes.js';
import { migration as productQuality } from './0005_product_quality.js';

export type { Migration } from './Migration.js';

/** Every migration, in the order they apply. */
export const MIGRATIONS: readonly Migration[] = [catalog, graphql, graphqlIndexes, productQuality];
