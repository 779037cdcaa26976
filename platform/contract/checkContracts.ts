import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemInFile } from '../source/SourceDocument.js';
import { errorMessage } from '../errors.js';
import { checkContract } from './checkContract.js';
import { ContractSet } from './ContractSet.js';
import { lintContract } from './lint/lintContract.js';
import type { LoadedContracts } from './loadContracts.js';

export interface CheckedContracts {
  readonly contracts: ContractSet;
  readonly problems: Problem[];
}

/**
 * Runs the structural checks and the lint on loaded contracts, then compiles every structurally valid one
 * with Ajv in strict mode, the final word on whether it is a valid contract. `portContracts` are the files
 * that output ports name; they have stricter rules than shared-definition files.
 */
export function checkContracts(loaded: LoadedContracts, root: string, portContracts: ReadonlySet<string>): CheckedContracts {
  const problems: Problem[] = [];
  const broken = new Set<string>();
  for (const contract of loaded.contracts) {
    const options = { isPortContract: portContracts.has(contract.file) };
    const structural = checkContract(contract, loaded.resolver, options);
    problems.push(...structural);
    if (structural.some((p) => p.severity === 'error')) broken.add(contract.uri);
    problems.push(...lintContract(contract, loaded.resolver, options));
  }
  const contracts = new ContractSet(root, loaded.contracts, loaded.resolver, broken);
  for (const contract of loaded.contracts) {
    if (broken.has(contract.uri)) continue;
    try {
      contracts.validator(contract.file);
    } catch (error) {
      problems.push(problemInFile(contract.file, ProblemCode.CONTRACT_COMPILE_FAILED, 'error', `Ajv cannot compile the contract: ${errorMessage(error)}`));
    }
  }
  return { contracts, problems };
}
