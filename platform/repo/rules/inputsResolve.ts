import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import { closest } from '../../util/closest.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const inputsResolve: RepositoryRule = {
  name: 'inputs-resolve',
  description: "Every product input names an existing product's existing output port, and not the product itself.",
  check({ repository, knownPorts }, report) {
    const ids = [...knownPorts.keys()];
    for (const product of repository.products.values()) {
      (product.manifest.inputs ?? []).forEach((input, i) => {
        if (input.product === undefined || input.port === undefined) return;
        if (input.product === product.id) {
          report(problemAt(product.document, ProblemCode.INPUT_SELF, 'error', `/inputs/${i}/product`, 'a product cannot read its own output'));
          return;
        }
        const ports = knownPorts.get(input.product);
        if (!ports) {
          const hint = closest(input.product, ids);
          report(problemAt(product.document, ProblemCode.INPUT_PRODUCT_UNKNOWN, 'error', `/inputs/${i}/product`, `no product "${input.product}"${hint ? ` (did you mean "${hint}"?)` : ''}`));
        } else if (!ports.has(input.port)) {
          report(problemAt(product.document, ProblemCode.INPUT_PORT_UNKNOWN, 'error', `/inputs/${i}/port`, `product "${input.product}" has no output port "${input.port}" (it has ${[...ports].join(', ') || 'none'})`));
        }
      });
    }
  },
};
