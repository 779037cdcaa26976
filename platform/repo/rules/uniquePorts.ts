import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const uniquePorts: RepositoryRule = {
  name: 'unique-ports',
  description: 'Output port names are unique within a product, and so are their datasets.',
  check({ repository }, report) {
    for (const product of repository.products.values()) {
      const ports = new Set<string>();
      const datasets = new Set<string>();
      product.manifest.outputs.forEach((output, i) => {
        if (ports.has(output.port)) {
          report(problemAt(product.document, ProblemCode.PORT_DUPLICATE, 'error', `/outputs/${i}/port`, `port "${output.port}" is declared twice`));
        }
        ports.add(output.port);
        if (output.dataset) {
          const key = `${output.dataset.namespace}\u0000${output.dataset.name}`;
          if (datasets.has(key)) {
            report(problemAt(product.document, ProblemCode.PORT_DUPLICATE, 'error', `/outputs/${i}/dataset`, `dataset ${output.dataset.name} is published by two ports`));
          }
          datasets.add(key);
        }
      });
    }
  },
};
