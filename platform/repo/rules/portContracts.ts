import { checkPortContract } from '../../contract/checkPortContract.js';
import type { RepositoryRule } from './RepositoryRule.js';

export const portContracts: RepositoryRule = {
  name: 'port-contracts',
  description: "A port's contract describes one record: an object schema with an x-version; a primary key is expected (warning).",
  check({ repository }, report) {
    const seen = new Set<string>();
    for (const manifest of repository.manifests) {
      for (const file of manifest.contracts) {
        const contract = repository.contracts.get(file);
        if (!contract || seen.has(file)) continue;
        seen.add(file);
        for (const problem of checkPortContract(contract)) report(problem);
      }
    }
  },
};
