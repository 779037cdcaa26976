import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import { isObject } from '../../util/guards.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const portContracts: RepositoryRule = {
  name: 'port-contracts',
  description: "A port's contract describes one record: an object schema with an x-version; a primary key is expected (warning).",
  check({ repository }, report) {
    const seen = new Set<string>();
    for (const manifest of repository.manifests) {
      for (const file of manifest.contracts) {
        const contract = repository.contracts.get(file);
        if (!contract || seen.has(file)) continue;
        seen.add(file);
        const { schema, document } = contract;
        if (!isObject(schema) || schema['x-version'] === undefined) {
          report(problemAt(document, ProblemCode.CONTRACT_VERSION_MISSING, 'error', '', 'a port contract needs "x-version" (the semantic version of the contract) at its root'));
        }
        if (!isObject(schema) || schema['type'] !== 'object') {
          report(problemAt(document, ProblemCode.CONTRACT_NOT_OBJECT, 'error', isObject(schema) && 'type' in schema ? '/type' : '', 'a port contract describes one record: its root needs "type": "object"'));
        }
        if (isObject(schema) && schema['x-primary-key'] === undefined) {
          report(problemAt(document, ProblemCode.LINT_PRIMARY_KEY_MISSING, 'warning', '', 'no "x-primary-key": consumers cannot join or deduplicate records, and uniqueness is not measured'));
        }
      }
    }
  },
};
