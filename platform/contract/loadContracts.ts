import { readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { parseJson } from '../source/parseJson.js';
import { FILE_LIMITS, readSource, stripBom } from '../source/readSource.js';
import { problemAt, type SourceDocument } from '../source/SourceDocument.js';
import { isObject } from '../util/guards.js';
import type { Contract } from './Contract.js';
import { SchemaResolver } from './SchemaResolver.js';
import { SEMVER_PATTERN } from './vocabulary.js';
import { rebase } from './schemaKeywords.js';

/** The `file:` URI of a repository file. */
export function contractUri(root: string, file: string): string {
  return pathToFileURL(join(root, file)).href;
}

/**
 * A loader for `$ref` targets that are not contract files: JSON files inside the repository only, within the
 * contract size limit. A `$ref` to anything else does not resolve (and is reported where it stands).
 */
export function repositoryLoader(root: string): (uri: string) => unknown | undefined {
  const rootPath = join(root, sep);
  return (uri) => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      const path = fileURLToPath(uri);
      if (!path.startsWith(rootPath)) return undefined;
      const info = statSync(path);
      if (!info.isFile() || info.size > FILE_LIMITS.contract) return undefined;
      const parsed = parseJson(relative(root, path), stripBom(readFileSync(path, 'utf8')));
      return parsed.problems.length === 0 ? parsed.document.value : undefined;
    } catch {
      return undefined;
    }
  };
}

export interface LoadedContracts {
  readonly contracts: Contract[];
  readonly resolver: SchemaResolver;
  readonly problems: Problem[];
}

/**
 * Reads and parses contract files (repository-relative paths) and registers them with one resolver.
 * Problems here are about reading and parsing, and duplicate `$id`s; the structural checks are
 * `checkContract`'s.
 */
export async function loadContracts(root: string, files: readonly string[]): Promise<LoadedContracts> {
  const problems: Problem[] = [];
  const accepted: SourceDocument[] = [];
  const ids = new Map<string, string>();

  for (const file of files) {
    const read = readSource(join(root, file), file, FILE_LIMITS.contract);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const parsed = parseJson(file, read.text);
    problems.push(...parsed.problems);
    if (parsed.problems.length > 0) continue;
    const schema = parsed.document.value;
    if (isObject(schema) && typeof schema['$id'] === 'string') {
      const id = rebase(contractUri(root, file), schema);
      const other = ids.get(id);
      if (other !== undefined) {
        problems.push(problemAt(parsed.document, ProblemCode.CONTRACT_ID_DUPLICATE, 'error', '/$id', `$id ${JSON.stringify(schema['$id'])} is also the $id of ${other}`));
        continue;
      }
      ids.set(id, file);
    }
    accepted.push(parsed.document);
  }
  return { ...registerContracts(root, accepted), problems };
}

/**
 * The contracts of texts that `loadContracts` accepted, registered as it registers them: a worker thread
 * rebuilds the main thread's contracts and resolver from the texts alone.
 */
export function contractsFromTexts(root: string, sources: readonly { file: string; text: string }[]): Omit<LoadedContracts, 'problems'> {
  return registerContracts(
    root,
    sources.map(({ file, text }) => parseJson(file, text).document),
  );
}

/** Registers parsed contracts with one resolver, then loads the other documents their `$ref`s name. */
function registerContracts(root: string, documents: readonly SourceDocument[]): Omit<LoadedContracts, 'problems'> {
  const resolver = new SchemaResolver(repositoryLoader(root));
  const contracts: Contract[] = [];
  for (const document of documents) {
    const { file, value: schema } = document;
    const uri = contractUri(root, file);
    const version = isObject(schema) && typeof schema['x-version'] === 'string' && SEMVER_PATTERN.test(schema['x-version']) ? schema['x-version'] : undefined;
    resolver.addDocument(uri, schema);
    contracts.push({ file, uri, document, schema, version });
  }
  resolver.loadReferenced();
  return { contracts, resolver };
}
