import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ajvTasks, assembleVerdicts, checkStructure, contractCompiler, type CheckedContracts } from '../contract/checkContracts.js';
import type { LoadedContracts } from '../contract/loadContracts.js';
import { ContractWorkers } from '../contract/ContractWorkers.js';
import { defaultThreads } from '../util/threads.js';
import { loadContracts } from '../contract/loadContracts.js';
import { recordShape } from '../contract/recordFields.js';
import { loadManifest } from '../manifest/loadManifest.js';
import type { Problem } from '../problems/Problem.js';
import { compareProblems } from '../problems/Problem.js';
import { listRepositoryFiles } from './listRepositoryFiles.js';
import { ProductGraph } from './ProductGraph.js';
import type { Product, Repository } from './Repository.js';
import { REPOSITORY_RULES, type RuleContext } from './rules/index.js';

export interface LoadRepositoryOptions {
  /**
   * Threads that compile contracts with Ajv, this one included. Default: every core (at most 4) unless the
   * machine is saturated (`defaultThreads`). Worker threads run from the build (`dist/`) only, one per
   * `PARALLEL_FROM_COMPILATIONS` contracts that need Ajv.
   */
  readonly threads?: number;
  /** Have Ajv compile every contract, also those it provably compiles (see `CompileProof`). */
  readonly compileAll?: boolean;
}

/**
 * A worker thread per this many contracts that Ajv has to compile: below, a worker's start (Ajv loaded again,
 * the contracts parsed again, its code warmed up again: about 0.3 s of CPU) costs more than the compilations
 * it takes over.
 */
export const PARALLEL_FROM_COMPILATIONS = 150;

/**
 * Reads a repository and checks all of it: every manifest against the schema, every contract (structure,
 * lint, Ajv compilation), then every repository rule. Never throws on bad content: everything wrong is in
 * `problems`, sorted by file and position. Contracts are checked and compiled by several threads in large
 * repositories (Ajv's compilation is most of the work), with the same answer as one thread's.
 */
export async function loadRepository(rootDir: string, options: LoadRepositoryOptions = {}): Promise<Repository> {
  const root = resolve(rootDir);
  const files = await listRepositoryFiles(root);
  const problems: Problem[] = [...files.problems];

  const loadedContracts = await loadContracts(root, files.contracts);
  await turn();
  const manifests = [];
  for (const [i, file] of files.manifests.entries()) {
    manifests.push(await loadManifest(root, file));
    // Now and then, and between the long synchronous stretches, let other work of the process go on (mesh
    // check's git commands, each started when the one before has answered).
    if (i % 32 === 31) await turn();
  }
  await turn();
  const { contracts, problems: contractProblems } = await checkAllContracts(root, loadedContracts, options);
  await turn();

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

  problems.push(...loadedContracts.problems, ...contractProblems);

  const sql = new Map<string, string>();
  for (const product of products.values()) {
    for (const step of product.manifest.pipeline?.steps ?? []) {
      const file = step.sql !== undefined ? `${product.dir}/${step.sql}` : undefined;
      if (file !== undefined && files.all.has(file)) sql.set(file, readFileSync(join(root, file), 'utf8'));
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

/**
 * Checks and compiles every contract: structural checks and lint in this thread, then Ajv's compilation of the
 * contracts that need it, in worker threads too when there are many of them.
 */
async function checkAllContracts(root: string, loaded: LoadedContracts, options: LoadRepositoryOptions): Promise<CheckedContracts> {
  const compileOptions = { compileAll: options.compileAll ?? false };
  const structure = loaded.contracts.map((contract) => checkStructure(contract, loaded.resolver));
  const compiler = contractCompiler(loaded, root, structure, compileOptions);
  const tasks = ajvTasks(loaded, structure, compiler);
  const threads = Math.min(options.threads ?? defaultThreads(), Math.ceil(tasks.length / PARALLEL_FROM_COMPILATIONS));
  let compiled = new Map<number, Problem>();
  if (threads > 1 && ContractWorkers.available()) {
    await turn();
    const broken = structure.flatMap((v, i) => (v.broken ? [i] : []));
    compiled = await ContractWorkers.start(root, threads - 1).compile(loaded, broken, tasks, compiler, compileOptions);
  } else {
    for (const i of tasks) {
      const problem = compiler.compile(loaded.contracts[i]!);
      if (problem) compiled.set(i, problem);
    }
  }
  return assembleVerdicts(loaded, root, structure, compiled);
}

/** Lets the event loop run what is ready (I/O callbacks, child processes) before going on. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
