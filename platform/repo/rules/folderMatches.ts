import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const folderMatches: RepositoryRule = {
  name: 'folder-matches',
  description: 'A manifest at products/<domain>/<name>/product.yaml has id <domain>.<name> and domain <domain>.',
  check({ repository }, report) {
    for (const product of repository.products.values()) {
      const [, domain, name] = product.dir.split('/');
      const { manifest, document } = product;
      if (manifest.domain !== domain) {
        report(problemAt(document, ProblemCode.PRODUCT_FOLDER_MISMATCH, 'error', '/domain', `domain "${manifest.domain}" does not match the folder ${product.dir} (expected "${domain}")`));
      }
      if (manifest.id !== `${domain}.${name}`) {
        report(problemAt(document, ProblemCode.PRODUCT_FOLDER_MISMATCH, 'error', '/id', `id "${manifest.id}" does not match the folder ${product.dir} (expected "${domain}.${name}")`));
      }
    }
  },
};
