/**
 * The catalog's public surface: the store (PostgreSQL through `pg`, or embedded PGlite), OpenLineage ingestion,
 * publishing, the GraphQL API, and the HTTP server that `mesh serve` runs. Exports here are public API; everything else is
 * internal.
 */
export { resolveCatalogConfig, DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, MEMORY_DATA_DIR } from './config/resolveCatalogConfig.js';
export type { CatalogConfig, CatalogConfigInput, DatabaseConfig, PublishTarget } from './config/resolveCatalogConfig.js';
export { InvalidContentError, type Violation } from './errors.js';
export { productKey, datasetKey, jobKey, fieldKey } from './lineageKeys.js';

// Store
export type { CatalogStore, CatalogCounts } from './store/CatalogStore.js';
export { SqlCatalogStore, type CatalogStoreOptions } from './store/SqlCatalogStore.js';
export { openCatalogStore, openSqlClient, type OpenCatalogOptions } from './store/openCatalogStore.js';
export { translatingClient } from './store/translatingClient.js';
export { translateDatabaseError } from './store/translateDatabaseError.js';
export { migrate, type MigrationReport } from './store/migrate.js';
export { MIGRATIONS, type Migration } from './store/migrations/index.js';
export { principalLabel, principalTeam, type Principal } from './store/Principal.js';
export { TOKEN_PREFIX, hashToken, type CreatedToken, type TokenPrincipal, type TokenRecord } from './store/tokens.js';
export { audit, type AuditEntry, type AuditQuery } from './store/auditLog.js';
export type { PublishOutcome, PublishedItem } from './store/publishProducts.js';
export type { QualityResultInput, SlaStatusInput, SlaState } from './store/qualityResults.js';

// Ingestion
export { EventChecker, MAX_EVENT_DEPTH } from './ingest/checkEvent.js';
export { LineageIngestor, MAX_BATCH_EVENTS, type BatchEventResult, type BatchReport } from './ingest/LineageIngestor.js';
export { LineageWriter, type LineageWriterOptions } from './ingest/LineageWriter.js';
export { IngestBatch, type EventOutcome, type IngestRequest } from './ingest/IngestBatch.js';
export type { NormalizedEvent, NodeRow, EdgeRow, RunRow, RunState, EventKind, NodeKind } from './ingest/LineageRows.js';

// Publishing
export { buildPublishBundle, type PublishBundle, type BundledProduct, type BundledDocument, type BundleOptions } from './publish/PublishBundle.js';
export { preparePublish, type PreparedPublish, type PreparedProduct, type PreparedContract, type ContractFieldSummary } from './publish/preparePublish.js';
export { DEFAULT_CONTRACT_DIFFER, type ContractDiffer, type ContractSnapshot, type ContractChange } from './publish/ContractDiffer.js';
export { CatalogClient, errorFromResponse } from './publish/CatalogClient.js';
export { publishRepository, MAX_REQUEST_BYTES, type PublishDestination } from './publish/publishRepository.js';
export type { PublishListener, PublishedRepository } from './publish/PublishListener.js';

// Server
export { CatalogServer, DEFAULT_BODY_LIMITS, type BodyLimits, type CatalogServerOptions, type MountedHandler, type RequestContext, type Route } from './server/CatalogServer.js';
export { Authenticator, type Access } from './server/Authenticator.js';
export { readBody, parseJsonBody, requireJson } from './server/readBody.js';
export { statusFor, errorBody, sendJson, sendError, MediaTypeError, MethodError } from './server/httpErrors.js';
export { facetSchemaRoutes } from './server/facetSchemaRoutes.js';

// GraphQL
export { createGraphQLHandler, type GraphQLHandlerOptions } from './graphql/createGraphQLHandler.js';
export { typeDefs } from './graphql/typeDefs.js';
export { DEFAULT_QUERY_LIMITS, queryLimitsPlugin, type QueryLimits } from './graphql/limits.js';
export { GRAPHQL_CODES, codeFor } from './graphql/graphqlErrors.js';
