import { it } from 'vitest';
import { writeTempRepo } from './support/fixtureRepo.js';
import { qualityRepoFiles, writeOrdersFile } from './support/qualityRepo.js';
it('gen', async () => {
  const repo = await writeTempRepo(qualityRepoFiles(), 'mesh-qbench-');
  const bytes = await writeOrdersFile(repo.root + '/orders.jsonl', 1_000_000);
  console.log(repo.root, bytes);
}, 600000);
