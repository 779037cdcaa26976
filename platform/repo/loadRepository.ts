import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ContractVerdicts } from '../contract/checkContracts.js';
import { ContractSet } from '../contract/ContractSet.js';
import { recordShape } from '../contract/recordFields.js';
import type { Problem } from '../problems/Problem.js';
import { compareProblems } from '../problems/Problem.js';
import { listRepositoryFiles } from './listRepositoryFiles.js';
import { ProductGraph } from './ProductGraph.js';
import type { Product, Repository } from './Repository.js';
import { REPOSITORY_RULES, type RuleContext } from './rules/index.js';
import { fromManifestReport, ShareAnalyzer, type AnalyzeRequest, type AnalyzeResult } from './ShareAnalyzer.js';
import { WorkerShares } from './WorkerShares.js';

export interface LoadRepositoryOptions {
  /**
   * Threads for the per-file work (parsing, checking and compiling). Default: one for small repositories,
   * otherwise up to four, as the machine allows. Workers run only from the build (`dist/`).
   */
  readonly threads?: number;
}

/** Below this many files, starting worker threads costs more than it saves. */
const PARALLEL_FROM_FILES = 400;

/**
 * Reads a repository and checks all of it: every manifest against the schema, every contract (structure,
 * lint, Ajv compilation), then every repository rule. Never throws on bad content: everything wrong is in
 * `problems`, sorted by file and position. Large repositories are read in several threads, with the same
 * result as in one.
 */
export async function loadRepository(rootDir: string, options: LoadRepositoryOptions = {}): Promise<Repository> {
  const root = resolve(rootDir);
  const files = await listRepositoryFiles(root);
  const problems: Problem[] = [...files.problems];

  const wanted = options.threads ?? (files.manifests.length + files.contracts.length < PARALLEL_FROM_FILES ? 1 : Math.min(availableParallelism(), 4));
  const shares = wanted > 1 && WorkerShares.available() ? wanted : 1;
  const workers = shares > 1 ? WorkerShares.start(root, shares - 1) : undefined;
  const main = new ShareAnalyzer(root);
  let analyzed: AnalyzeResult[];
  let compiled: ContractVerdicts[];
  const manifestShares = split(files.manifests, shares);
  const contractShares = split(files.contracts, shares);
  try {
    // Share 0 is the main thread's; a worker that fails has its share redone here.
    analyzed = await Promise.all(
      manifestShares.map((manifests, i) => {
        const request: AnalyzeRequest = { manifests, contracts: files.contracts, contractShare: contractShares[i]! };
        if (i === 0 || !workers) return main.analyze(request);
        return workers.analyze(i - 1, request).catch(() => new ShareAnalyzer(root).analyze(request));
      }),
    );
    const broken = analyzed.flatMap((a) => a.contracts.broken);
    compiled = await Promise.all(
      contractShares.map((contractShare, i) => {
        const request = { broken, contractShare };
        if (i === 0 || !workers) return main.compile(request);
        return workers.compile(i - 1, request).catch(() => main.compile(request));
      }),
    );
  } finally {
    await workers?.close();
  }

  const manifests = analyzed.flatMap((a) => a.manifests.map(fromManifestReport));
  const products = new Map<string, Product>();
  const knownPorts = new Map<string, Set<string>>();
  for (const loaded of manifests) {
    problems.push(...loaded.problems);
    if (loaded.id !== undefined && !knownPorts.has(loaded.id)) knownPorts.set(loaded.id, new Set(loaded.ports));
    if (loaded.manifest && loaded.document && !products.has(loaded.manifest.id)) {
      const dir = loaded.file.slice(0, loaded.file.lastIndexOf('/'));
      products.set(loaded.manifest.id, { id: loaded.manifest.id, file: loaded.file, dir, document: loaded.document, manifest: loaded.manifest });
    }
  }

  const loadedContracts = main.contracts;
  problems.push(...loadedContracts.problems);
  for (const verdicts of [...analyzed.map((a) => a.contracts), ...compiled]) problems.push(...verdicts.problems);
  const broken = new Set([...analyzed, ...compiled].flatMap((v) => ('contracts' in v ? v.contracts.broken : v.broken)));
  const contracts = new ContractSet(root, loadedContracts.contracts, loadedContracts.resolver, broken);

  const sql = new Map<string, string>();
  for (const product of products.values()) {
    for (const step of product.manifest.pipeline?.steps ?? []) {
      const file = step.sql !== undefined ? `${product.dir}/${step.sql}` : undefined;
      if (file !== undefined && files.all.has(file)) sql.set(file, await readFile(join(root, file), 'utf8'));
    }
  }

  const graph = new ProductGraph([...products.values()].map((p) => p.manifest));
  const repository = { root, manifests, products, contracts, files: files.all, graph };
  const fieldCache = new Map<string, ReadonlySet<string> | undefined>();
  const context: RuleContext = {
    repository,
    knownPorts,
    sqlText: (file) => sql.get(file),
    fieldsOf(productId, port) {
      const contractFile = products.get(productId)?.manifest.outputs.find((o) => o.port === port)?.contract;
      if (contractFile === undefined || !contracts.isCompilable(contractFile)) return undefined;
      if (!fieldCache.has(contractFile)) {
        const contract = contracts.get(contractFile)!;
        const shape = recordShape(contract.schema, contract.uri, contracts.resolver);
        fieldCache.set(contractFile, new Set(shape.fields.map((f) => f.name)));
      }
      return fieldCache.get(contractFile);
    },
  };
  for (const rule of REPOSITORY_RULES) rule.check(context, (problem) => problems.push(problem));
  problems.sort(compareProblems);
  return { ...repository, problems };
}

/** Splits a sorted list into `n` contiguous parts of nearly equal size, keeping the order. */
function split<T>(items: readonly T[], n: number): T[][] {
  const size = Math.ceil(items.length / n);
  return Array.from({ length: n }, (_, i) => items.slice(i * size, (i + 1) * size));
}
