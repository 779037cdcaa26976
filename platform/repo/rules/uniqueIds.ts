import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const uniqueIds: RepositoryRule = {
  name: 'unique-ids',
  description: 'Every product id is used by one manifest only.',
  check({ repository }, report) {
    const first = new Map<string, string>();
    for (const loaded of repository.manifests) {
      if (loaded.id === undefined || !loaded.document) continue;
      const other = first.get(loaded.id);
      if (other === undefined) first.set(loaded.id, loaded.file);
      else report(problemAt(loaded.document, ProblemCode.PRODUCT_ID_DUPLICATE, 'error', '/id', `product id "${loaded.id}" is already used by ${other}`));
    }
  },
};
