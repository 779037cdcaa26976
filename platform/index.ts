/**
 * The platform's public surface: the manifest and contract models, repository validation, and the CLI.
 * Exports here are public API; everything else is internal.
 */
export type { Problem, Severity } from './problems/Problem.js';
export { compareProblems, hasErrors } from './problems/Problem.js';
export { ProblemCode } from './problems/codes.js';
export * from './errors.js';

export type { SourceDocument, Position } from './source/SourceDocument.js';
export { parseYaml } from './source/parseYaml.js';
export { parseJson } from './source/parseJson.js';

export type * from './manifest/DataProductManifest.js';
export { PRODUCT_SCHEMA, checkManifestShape } from './manifest/checkManifestShape.js';
export { parseManifest, loadManifest, type LoadedManifest } from './manifest/loadManifest.js';

export type { Contract } from './contract/Contract.js';
export { ContractSet } from './contract/ContractSet.js';
export { SchemaResolver, type ResolvedSchema, type SchemaLoader } from './contract/SchemaResolver.js';
export { loadContracts, contractUri, repositoryLoader } from './contract/loadContracts.js';
export { checkContracts } from './contract/checkContracts.js';
export { recordShape, type RecordField, type RecordShape, type JsonType } from './contract/recordFields.js';
export { createContractAjv, KNOWN_FORMATS } from './contract/createContractAjv.js';
export { MESH_KEYWORDS, CLASSIFICATIONS, type Classification } from './contract/vocabulary.js';
export { directSubschemas, walkSchemas, STANDARD_KEYWORDS, METADATA_KEYWORDS } from './contract/schemaKeywords.js';

export { diffContracts, checkRevision, COMPATIBILITY_MODES, POLICIES } from './compat/diffContracts.js';
export type { Change, CompatibilityMode, ContractRevision, DiffOptions, DiffResult, Policy } from './compat/diffContracts.js';
export { ChangeCode, CHANGE_CODE_INFO, isMetadataCode, type ChangeCodeInfo, type ChangeKind } from './compat/ChangeCode.js';
export { loadRevision, type LoadedRevision } from './compat/loadRevision.js';
export { checkPullRequest, type CheckOptions, type CheckReport, type PortReport, type Downstream } from './check/checkPullRequest.js';
export { renderCheckGithub, renderCheckMarkdown, renderCheckText, COMMENT_MARKER } from './check/renderCheck.js';
export { bumpBetween, requiredBump, type Bump, type ChangeLevel } from './check/versionRules.js';

export type { Repository, Product } from './repo/Repository.js';
export { ProductGraph, type PortEdge, type Reached } from './repo/ProductGraph.js';
export { loadRepository } from './repo/loadRepository.js';
export { REPOSITORY_RULES, type RepositoryRule } from './repo/rules/index.js';

export * from './pipeline/index.js';
export { generateTypes, type GeneratedModule } from './types/generateTypes.js';

export * from './db/index.js';
export * from './warehouse/index.js';
export * from './quality/index.js';

export {
  OPENLINEAGE_SPEC_VERSION,
  OPENLINEAGE_CORE_URL,
  EVENT_SCHEMA_URLS,
  eventKind,
  createRunEvent,
  createJobEvent,
  createDatasetEvent,
  type EventType,
  type EventKind,
  type EventTime,
  type DatasetId,
  type JobId,
  type Run,
  type Job,
  type Dataset as OpenLineageDataset,
  type InputDataset,
  type OutputDataset,
  type RunEvent,
  type JobEvent,
  type DatasetEvent,
  type OpenLineageEvent,
  type RunEventInit,
  type JobEventInit,
  type DatasetEventInit,
} from './lineage/OpenLineageEvent.js';
export {
  FacetFactory,
  STANDARD_FACET_SCHEMA_URLS,
  type BaseFacet,
  type Facet,
  type CustomFacet,
  type RunFacets,
  type JobFacets,
  type DatasetFacets,
  type InputDatasetFacets,
  type OutputDatasetFacets,
  type SchemaField,
  type Owner as FacetOwner,
  type Assertion,
  type ColumnMetrics,
  type InputField,
  type Transformation,
  type Tag,
  type DatasetTag,
  type LifecycleStateChange,
  type ProcessingType,
} from './lineage/StandardFacets.js';
export { OpenLineageValidator, vendoredSpecDir, type FacetPlace, type KnownFacet, type EventViolation } from './lineage/OpenLineageValidator.js';
export {
  MESH_FACETS,
  MESH_FACET_KEY,
  MESH_FACET_VERSION,
  DEFAULT_CATALOG_URL,
  meshFacetSchema,
  meshFacetSchemas,
  meshFacetSchemaUrl,
  type MeshFacetDescriptor,
  type MeshFacetName,
  type MeshDataProductDatasetFacet,
  type MeshDataProductJobFacet,
} from './lineage/meshFacets.js';
export { MESH_PRODUCER, MESH_VERSION } from './lineage/producer.js';
export { uuidv7 } from './lineage/uuidv7.js';
export { addEmitHook, type EmitHook } from './lineage/emitHooks.js';
export { createLineageClient, type LineageClient, type LineageClientOptions } from './lineage/createLineageClient.js';
export {
  resolveLineageConfig,
  nodeConfigFiles,
  httpTransports,
  type LineageConfig,
  type LineageConfigInput,
  type ConfigFiles,
  type TransportConfig,
  type HttpTransportConfig,
} from './lineage/resolveLineageConfig.js';
export { Spool, type SendOutcome } from './lineage/Spool.js';
export type { Transport, FlushReport, Warn } from './lineage/transports/Transport.js';
export { createConsoleTransport, type ConsoleTransportOptions } from './lineage/transports/createConsoleTransport.js';
export { createFileTransport, type FileTransportOptions } from './lineage/transports/createFileTransport.js';
export { createHttpTransport, type HttpTransportOptions, type RetryOptions } from './lineage/transports/createHttpTransport.js';
export { createCompositeTransport, type CompositeTransportOptions } from './lineage/transports/createCompositeTransport.js';
export { createNoopTransport } from './lineage/transports/createNoopTransport.js';
export { createTransport, spoolDirFor } from './lineage/transports/createTransport.js';
export {
  ProductLineage,
  portDataset,
  warehouseNamespace,
  readStepSql,
  DEFAULT_WAREHOUSE_NAMESPACE,
  MESH_INTEGRATION,
  MESH_JOB_TYPES,
  type ProductLineageOptions,
  type ProductRun,
  type RunOptions,
  type EndDetails,
  type PortResult,
  type PortQuality,
  type StepSql,
} from './lineage/ProductLineage.js';
export { qualityAssertion, qualityCheckName, type CheckOutcome } from './lineage/qualityAssertion.js';

export { main } from './cli/main.js';
export type { CliIo } from './cli/CliIo.js';
