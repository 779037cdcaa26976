import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import { portTable } from '../../warehouse/portTable.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const uniqueTables: RepositoryRule = {
  name: 'unique-tables',
  description: 'No two output ports of the repository are built into one warehouse table.',
  check({ repository }, report) {
    const owners = new Map<string, string>();
    for (const product of repository.products.values()) {
      product.manifest.outputs.forEach((output, i) => {
        const table = portTable(product.manifest, output.port);
        const key = `${table.schema}.${table.name}`;
        const owner = owners.get(key);
        const self = `${product.id}.${output.port}`;
        if (owner === undefined) owners.set(key, self);
        else if (owner.slice(0, owner.lastIndexOf('.')) !== product.id) {
          // Two ports of one product on one dataset are PORT_DUPLICATE's.
          report(problemAt(product.document, ProblemCode.TABLE_COLLISION, 'error', output.dataset ? `/outputs/${i}/dataset/name` : `/outputs/${i}/port`, `port ${self} would be built into table ${key}, which port ${owner} already uses; name a dataset for one of them`));
        }
      });
    }
  },
};
