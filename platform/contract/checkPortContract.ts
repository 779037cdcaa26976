import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemAt } from '../source/SourceDocument.js';
import { isObject } from '../util/guards.js';
import type { Contract } from './Contract.js';

/**
 * What a port's contract needs beyond being a valid schema: it describes one record (an object schema) and has
 * an `x-version`; a primary key is expected (warning). Shared-definition files are exempt.
 */
export function checkPortContract(contract: Pick<Contract, 'schema' | 'document'>): Problem[] {
  const { schema, document } = contract;
  const problems: Problem[] = [];
  if (!isObject(schema) || schema['x-version'] === undefined) {
    problems.push(problemAt(document, ProblemCode.CONTRACT_VERSION_MISSING, 'error', '', 'a port contract needs "x-version" (the semantic version of the contract) at its root'));
  }
  if (!isObject(schema) || schema['type'] !== 'object') {
    problems.push(problemAt(document, ProblemCode.CONTRACT_NOT_OBJECT, 'error', isObject(schema) && 'type' in schema ? '/type' : '', 'a port contract describes one record: its root needs "type": "object"'));
  }
  if (isObject(schema) && schema['x-primary-key'] === undefined) {
    problems.push(problemAt(document, ProblemCode.LINT_PRIMARY_KEY_MISSING, 'warning', '', 'no "x-primary-key": consumers cannot join or deduplicate records, and uniqueness is not measured'));
  }
  return problems;
}
