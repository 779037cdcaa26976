import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemAt, problemInFile } from '../source/SourceDocument.js';
import { errorMessage } from '../errors.js';
import { checkContract } from './checkContract.js';
import { CompileProof } from './CompileProof.js';
import { compileKey } from './compileKey.js';
import type { Contract } from './Contract.js';
import { ContractSet } from './ContractSet.js';
import { lintContract } from './lint/lintContract.js';
import { locateCompileFailure } from './locateCompileFailure.js';
import type { LoadedContracts } from './loadContracts.js';
import type { SchemaResolver } from './SchemaResolver.js';

/** What the structural checks and lint say of one contract. */
export interface StructureVerdict {
  readonly problems: Problem[];
  /** A structural error: Ajv never sees the contract. */
  readonly broken: boolean;
}

/** Structural checks and lint of one contract. */
export function checkStructure(contract: Contract, resolver: SchemaResolver): StructureVerdict {
  const structural = checkContract(contract, resolver);
  return { problems: [...structural, ...lintContract(contract, resolver)], broken: structural.some((p) => p.severity === 'error') };
}

/**
 * Compiles structurally valid contracts with Ajv in strict mode, the final word on whether a contract is valid,
 * unless a `CompileProof` shows that Ajv compiles it (most contracts: the proof costs a walk, Ajv's compilation
 * a hundred times more).
 * A contract whose compilation is the same as one already compiled here (`compileKey`) has the same verdict;
 * only successes are reused, so that a failure is always reported in the contract's own words.
 */
export class ContractCompiler {
  private readonly compiled = new Set<string>();

  constructor(
    /** Every document but the structurally broken contracts. */
    private readonly contracts: ContractSet,
    /** Contracts that Ajv provably compiles, which it then need not compile; none when undefined. */
    private readonly proof?: CompileProof,
  ) {}

  /** Whether the contract needs Ajv's compilation: the proof does not settle it. */
  needsAjv(contract: Contract): boolean {
    return !this.proof?.proves(contract);
  }

  /** The problem of a contract that does not compile; `undefined` when it compiles. */
  compile(contract: Contract): Problem | undefined {
    if (!this.needsAjv(contract)) return undefined;
    const key = compileKey(contract);
    if (this.compiled.has(key)) return undefined;
    try {
      this.contracts.validator(contract.file, { compileOnly: true });
      this.compiled.add(key);
      return undefined;
    } catch (error) {
      const message = errorMessage(error);
      const text = `Ajv cannot compile the contract: ${message}`;
      const at = locateCompileFailure(contract, message);
      return at ? problemAt(contract.document, ProblemCode.CONTRACT_COMPILE_FAILED, 'error', at.pointer, text, at.part) : problemInFile(contract.file, ProblemCode.CONTRACT_COMPILE_FAILED, 'error', text);
    }
  }
}

export interface CheckedContracts {
  readonly contracts: ContractSet;
  readonly problems: Problem[];
}

/**
 * The verdicts on every contract, by index in `loaded.contracts`, put together in that order: the same
 * problems in the same order whichever thread reached which verdict.
 */
export function assembleVerdicts(loaded: LoadedContracts, root: string, structure: readonly StructureVerdict[], compiled: ReadonlyMap<number, Problem>): CheckedContracts {
  const broken = new Set<string>();
  const problems: Problem[] = [];
  loaded.contracts.forEach((contract, i) => {
    problems.push(...structure[i]!.problems);
    if (structure[i]!.broken) broken.add(contract.uri);
  });
  loaded.contracts.forEach((contract, i) => {
    const problem = compiled.get(i);
    if (problem === undefined) return;
    problems.push(problem);
    broken.add(contract.uri);
  });
  return { contracts: new ContractSet(root, loaded.contracts, loaded.resolver, broken), problems };
}

/** How contracts are compiled. */
export interface CompileOptions {
  /** Have Ajv compile every contract, also those that `CompileProof` proves it compiles (tests, comparisons). */
  readonly compileAll?: boolean;
}

/** A compiler for the contracts that passed their structural checks. */
export function contractCompiler(loaded: LoadedContracts, root: string, structure: readonly StructureVerdict[], options: CompileOptions = {}): ContractCompiler {
  const broken = new Set(loaded.contracts.filter((_, i) => structure[i]!.broken).map((c) => c.uri));
  const proof = options.compileAll ? undefined : new CompileProof(loaded.contracts, loaded.resolver, broken);
  return new ContractCompiler(new ContractSet(root, loaded.contracts, loaded.resolver, broken), proof);
}

/** Checks, lints and compiles every loaded contract in this thread. */
export function checkContracts(loaded: LoadedContracts, root: string, options: CompileOptions = {}): CheckedContracts {
  const structure = loaded.contracts.map((contract) => checkStructure(contract, loaded.resolver));
  const compiler = contractCompiler(loaded, root, structure, options);
  const compiled = new Map<number, Problem>();
  for (const i of ajvTasks(loaded, structure, compiler)) {
    const problem = compiler.compile(loaded.contracts[i]!);
    if (problem) compiled.set(i, problem);
  }
  return assembleVerdicts(loaded, root, structure, compiled);
}

/** The contracts (indices) that Ajv has to compile: structurally valid, and not proven to compile. */
export function ajvTasks(loaded: LoadedContracts, structure: readonly StructureVerdict[], compiler: ContractCompiler): number[] {
  const tasks: number[] = [];
  loaded.contracts.forEach((contract, i) => {
    if (!structure[i]!.broken && compiler.needsAjv(contract)) tasks.push(i);
  });
  return tasks;
}
