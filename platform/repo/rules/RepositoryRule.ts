import type { Problem } from '../../problems/Problem.js';
import type { Repository } from '../Repository.js';

export interface RuleContext {
  readonly repository: Omit<Repository, 'problems'>;
  /**
   * Ports of every manifest with a readable id, valid or not, so that one broken manifest does not make
   * its consumers' inputs look unresolved as well.
   */
  readonly knownPorts: ReadonlyMap<string, ReadonlySet<string>>;
  /** Top-level field names of a port's contract; `undefined` when the contract is missing or invalid. */
  fieldsOf(product: string, port: string): ReadonlySet<string> | undefined;
  /** Text of a pipeline SQL file (repository-relative), read once by the loader. */
  sqlText(file: string): string | undefined;
}

/** One repository rule: small, named, documented, and reporting through `report` (it never throws). */
export interface RepositoryRule {
  readonly name: string;
  readonly description: string;
  check(context: RuleContext, report: (problem: Problem) => void): void;
}
