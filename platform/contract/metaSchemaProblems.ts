import type { ErrorObject } from 'ajv';
import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemAt, type SourceDocument } from '../source/SourceDocument.js';
import { createContractAjv, type ContractAjv } from './createContractAjv.js';

const DRAFT_2020_12_META = 'https://json-schema.org/draft/2020-12/schema';

let metaAjv: ContractAjv | undefined;

/**
 * Checks a schema against the draft 2020-12 meta-schema and reports one problem per place at fault (the
 * meta-schema's `anyOf`s would otherwise report each place two or three times).
 */
export function metaSchemaProblems(document: SourceDocument, schema: unknown): Problem[] {
  // Unoptimized: compiling the meta-schema costs more than the optimizer saves over a repository's contracts.
  metaAjv ??= createContractAjv({ allErrors: true, optimize: false });
  // Always the draft 2020-12 meta-schema, whatever `$schema` says: another dialect is reported on its own.
  if (metaAjv.validate(DRAFT_2020_12_META, schema) === true) return [];
  const byPath = new Map<string, ErrorObject>();
  for (const error of metaAjv.errors ?? []) {
    if (!byPath.has(error.instancePath)) byPath.set(error.instancePath, error);
  }
  return [...byPath.values()].map((error) =>
    problemAt(document, ProblemCode.CONTRACT_SCHEMA_INVALID, 'error', error.instancePath, describe(error)),
  );
}

function describe(error: ErrorObject): string {
  const keyword = error.instancePath.split('/').pop() || 'schema';
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  const suffix = allowed ? ` (${allowed.map((v) => JSON.stringify(v)).join(', ')})` : '';
  return `"${keyword}" ${error.message ?? 'is invalid'}${suffix}`;
}
