import { parse as parsePath, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repositoryLoader } from '../contract/loadContracts.js';
import { SchemaResolver, type SchemaLoader } from '../contract/SchemaResolver.js';
import { InputError } from '../errors.js';
import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { parseJson } from '../source/parseJson.js';
import { FILE_LIMITS, readSource } from '../source/readSource.js';
import { problemAt, type SourceDocument } from '../source/SourceDocument.js';
import { checkRevision, type ContractRevision } from './diffContracts.js';

/** A contract file read for comparison, with its document for locating changes. */
export interface LoadedRevision extends ContractRevision {
  readonly document: SourceDocument;
}

/**
 * Reads a JSON Schema file for `mesh diff`: parsed with positions, its `$ref`s resolved against its own
 * folder and the files beside it (never the network), and checked for what would keep it from being
 * compared. Anything wrong is an `InputError` naming the file, line and column.
 */
export async function loadRevision(path: string, displayName: string, loader?: SchemaLoader): Promise<LoadedRevision> {
  const absolute = resolve(path);
  const read = readSource(absolute, displayName, FILE_LIMITS.contract);
  if (!read.ok) throw new InputError(describe([read.problem]));
  const parsed = parseJson(displayName, read.text);
  if (parsed.problems.length > 0) throw new InputError(describe(parsed.problems));
  const schema = parsed.document.value;
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    throw new InputError(describe([problemAt(parsed.document, ProblemCode.CONTRACT_SCHEMA_INVALID, 'error', '', 'a JSON Schema must be an object or a boolean')]));
  }
  const uri = pathToFileURL(absolute).href;
  const resolver = new SchemaResolver(loader ?? repositoryLoader(parsePath(absolute).root));
  resolver.addDocument(uri, schema);
  const revision = { schema, uri, resolver, document: parsed.document };
  const problems = checkRevision(revision).map((p) =>
    p.documentUri === uri
      ? problemAt(parsed.document, ProblemCode.CONTRACT_SCHEMA_INVALID, 'error', p.pointer, p.message)
      : { code: ProblemCode.CONTRACT_SCHEMA_INVALID, severity: 'error' as const, file: p.documentUri, line: 0, column: 0, pointer: p.pointer, message: p.message },
  );
  if (problems.length > 0) throw new InputError(describe(problems));
  return revision;
}

function describe(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file}${p.pointer ? ` (${p.pointer})` : ''}: ${p.message}`).join('\n');
}
