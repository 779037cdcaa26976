import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemInFile } from '../source/SourceDocument.js';
import { errorMessage } from '../errors.js';
import { checkContract } from './checkContract.js';
import { compileKey } from './compileKey.js';
import { ContractSet } from './ContractSet.js';
import { lintContract } from './lint/lintContract.js';
import type { LoadedContracts } from './loadContracts.js';

/** Problems of some contracts, and which of them cannot be compiled (by URI). */
export interface ContractVerdicts {
  readonly problems: Problem[];
  readonly broken: string[];
}

/** Structural checks and lint of the contracts. */
function checkContractStructure(loaded: LoadedContracts): ContractVerdicts {
  const problems: Problem[] = [];
  const broken: string[] = [];
  for (const contract of loaded.contracts) {
    const structural = checkContract(contract, loaded.resolver);
    problems.push(...structural);
    if (structural.some((p) => p.severity === 'error')) broken.push(contract.uri);
    problems.push(...lintContract(contract, loaded.resolver));
  }
  return { problems, broken };
}

/**
 * Compiles the structurally valid contracts with Ajv in strict mode, the final word on whether a contract is
 * valid. Ajv never sees the structurally `broken` ones. A contract whose compilation is the same as one already
 * compiled (`compileKey`) has the same verdict; only successes are reused, so that a failure is always reported
 * in the contract's own words.
 */
function compileContracts(loaded: LoadedContracts, root: string, broken: ReadonlySet<string>): ContractVerdicts {
  const problems: Problem[] = [];
  const failed: string[] = [];
  const contracts = new ContractSet(root, loaded.contracts, loaded.resolver, broken);
  const compiled = new Set<string>();
  for (const contract of loaded.contracts) {
    if (broken.has(contract.uri)) continue;
    const key = compileKey(contract);
    if (compiled.has(key)) continue;
    try {
      contracts.validator(contract.file, { compileOnly: true });
      compiled.add(key);
    } catch (error) {
      failed.push(contract.uri);
      problems.push(problemInFile(contract.file, ProblemCode.CONTRACT_COMPILE_FAILED, 'error', `Ajv cannot compile the contract: ${errorMessage(error)}`));
    }
  }
  return { problems, broken: failed };
}

export interface CheckedContracts {
  readonly contracts: ContractSet;
  readonly problems: Problem[];
}

/** Checks, lints and compiles every loaded contract in this thread. */
export function checkContracts(loaded: LoadedContracts, root: string): CheckedContracts {
  const structure = checkContractStructure(loaded);
  const broken = new Set(structure.broken);
  const compiled = compileContracts(loaded, root, broken);
  for (const uri of compiled.broken) broken.add(uri);
  return { contracts: new ContractSet(root, loaded.contracts, loaded.resolver, broken), problems: [...structure.problems, ...compiled.problems] };
}
