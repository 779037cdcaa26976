import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const ownerPresent: RepositoryRule = {
  name: 'owner-present',
  description: 'Every product names its owning team and a contact address.',
  check({ repository }, report) {
    for (const product of repository.products.values()) {
      if (!product.manifest.owner) {
        report(problemAt(product.document, ProblemCode.OWNER_MISSING, 'error', '/owner', 'no owner: add owner: { team: <team>, email: <address> }'));
      }
    }
  },
};
