import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const contractsExist: RepositoryRule = {
  name: 'contracts-exist',
  description: 'Every output port names a contract file that exists and is a valid contract.',
  check({ repository }, report) {
    for (const product of repository.products.values()) {
      product.manifest.outputs.forEach((output, i) => {
        const pointer = `/outputs/${i}/contract`;
        if (!repository.contracts.has(output.contract)) {
          const reason = repository.files.has(output.contract) ? 'cannot be read as JSON' : 'does not exist';
          report(problemAt(product.document, ProblemCode.CONTRACT_FILE_MISSING, 'error', pointer, `contract ${output.contract} ${reason}`));
        } else if (!repository.contracts.isCompilable(output.contract)) {
          report(problemAt(product.document, ProblemCode.CONTRACT_FILE_INVALID, 'error', pointer, `contract ${output.contract} is not a valid contract (see its own problems)`));
        }
      });
    }
  },
};
