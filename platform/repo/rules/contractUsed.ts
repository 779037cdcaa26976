import { ProblemCode } from '../../problems/codes.js';
import { problemInFile } from '../../source/SourceDocument.js';
import { walkSchemas } from '../../contract/schemaKeywords.js';
import { isObject } from '../../util/guards.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const contractUsed: RepositoryRule = {
  name: 'contract-used',
  description: 'Every contract file is the contract of a port or is referenced by one (warning otherwise).',
  check({ repository }, report) {
    const { contracts } = repository;
    const used = new Set<string>();
    // Every manifest counts, valid or not: a broken manifest's contract is not "unused".
    for (const manifest of repository.manifests) for (const contract of manifest.contracts) used.add(contract);
    const referenced = new Set<string>();
    for (const contract of contracts.all()) {
      if (!/"\$(ref|dynamicRef)"/.test(contract.document.text)) continue;
      walkSchemas(contract.schema, contract.uri, ({ schema, baseUri }) => {
        if (!isObject(schema)) return;
        for (const keyword of ['$ref', '$dynamicRef']) {
          const ref = schema[keyword];
          const target = typeof ref === 'string' ? contracts.resolver.resolve(ref, baseUri) : undefined;
          if (target && target.documentUri !== contract.uri) referenced.add(target.documentUri);
        }
      });
    }
    for (const contract of contracts.all()) {
      if (used.has(contract.file) || referenced.has(contract.uri)) continue;
      report(problemInFile(contract.file, ProblemCode.CONTRACT_UNUSED, 'warning', 'no output port uses this contract and no contract references it'));
    }
  },
};
