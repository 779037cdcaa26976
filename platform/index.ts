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

export type { Repository, Product } from './repo/Repository.js';
export { ProductGraph, type PortEdge, type Reached } from './repo/ProductGraph.js';
export { loadRepository } from './repo/loadRepository.js';
export { REPOSITORY_RULES, type RepositoryRule } from './repo/rules/index.js';

export { findSqlRefs, replaceSqlRefs, type SqlRef } from './pipeline/sqlRefs.js';
export { generateTypes, type GeneratedModule } from './types/generateTypes.js';

export * from './warehouse/index.js';
export * from './quality/index.js';

export { main } from './cli/main.js';
export type { CliIo } from './cli/CliIo.js';
