import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const deprecatedHasSunset: RepositoryRule = {
  name: 'deprecated-has-sunset',
  description: 'A deprecated product, or a deprecated port, names the date it goes away.',
  check({ repository }, report) {
    for (const product of repository.products.values()) {
      const { manifest, document } = product;
      if (manifest.status === 'deprecated' && !manifest.sunset) {
        report(problemAt(document, ProblemCode.DEPRECATED_WITHOUT_SUNSET, 'error', '/status', 'a deprecated product needs a sunset date (sunset: YYYY-MM-DD)'));
      }
      manifest.outputs.forEach((output, i) => {
        if (output.status === 'deprecated' && !output.sunset) {
          report(problemAt(document, ProblemCode.DEPRECATED_WITHOUT_SUNSET, 'error', `/outputs/${i}/status`, `deprecated port "${output.port}" needs a sunset date`));
        }
      });
    }
  },
};

export const consumersOfRetired: RepositoryRule = {
  name: 'consumers-of-retired',
  description: 'Nothing reads a retired product (error); reading a deprecated product or port is a warning.',
  check({ repository }, report) {
    for (const product of repository.products.values()) {
      (product.manifest.inputs ?? []).forEach((input, i) => {
        if (input.product === undefined) return;
        const upstream = repository.products.get(input.product);
        if (!upstream) return;
        const { manifest } = upstream;
        const pointer = `/inputs/${i}/product`;
        if (manifest.status === 'retired') {
          report(problemAt(product.document, ProblemCode.RETIRED_HAS_CONSUMERS, 'error', pointer, `"${manifest.id}" is retired${manifest.replacedBy ? `; read "${manifest.replacedBy}" instead` : ''}`));
        } else if (manifest.status === 'deprecated') {
          report(problemAt(product.document, ProblemCode.CONSUMES_DEPRECATED, 'warning', pointer, `"${manifest.id}" is deprecated${manifest.sunset ? ` until ${manifest.sunset}` : ''}${manifest.replacedBy ? `; move to "${manifest.replacedBy}"` : ''}`));
        } else {
          const port = manifest.outputs.find((o) => o.port === input.port);
          if (port?.status === 'deprecated') {
            report(problemAt(product.document, ProblemCode.CONSUMES_DEPRECATED, 'warning', `/inputs/${i}/port`, `port "${manifest.id}.${port.port}" is deprecated${port.sunset ? ` until ${port.sunset}` : ''}${port.replacedBy ? `; move to "${port.replacedBy}"` : ''}`));
          }
        }
      });
    }
  },
};
