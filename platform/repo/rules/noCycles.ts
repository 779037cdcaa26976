import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const noCycles: RepositoryRule = {
  name: 'no-cycles',
  description: 'Products do not depend on themselves through their inputs; a cycle is reported with its path.',
  check({ repository }, report) {
    for (const cycle of repository.graph.cycles()) {
      if (cycle.length === 2) continue; // a product reading itself is INPUT_SELF
      // Report at the input of the first product that closes the loop.
      const [from, to] = cycle as [string, string];
      const product = repository.products.get(from);
      if (!product) continue;
      const input = (product.manifest.inputs ?? []).findIndex((i) => i.product === to);
      const path = [...cycle].reverse().join(' -> ');
      report(problemAt(product.document, ProblemCode.PRODUCT_CYCLE, 'error', input >= 0 ? `/inputs/${input}/product` : '/inputs', `dependency cycle: ${path}`));
    }
  },
};
