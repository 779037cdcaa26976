import { consumersOfRetired, deprecatedHasSunset } from './lifecycle.js';
import { contractsExist } from './contractsExist.js';
import { contractUsed } from './contractUsed.js';
import { fieldsExist } from './fieldsExist.js';
import { folderMatches } from './folderMatches.js';
import { inputsResolve } from './inputsResolve.js';
import { noCycles } from './noCycles.js';
import { ownerPresent } from './ownerPresent.js';
import { pipelineResolves } from './pipelineResolves.js';
import { portContracts } from './portContracts.js';
import type { RepositoryRule } from './RepositoryRule.js';
import { uniqueIds } from './uniqueIds.js';
import { uniquePorts } from './uniquePorts.js';
import { uniqueTables } from './uniqueTables.js';

export type { RepositoryRule, RuleContext } from './RepositoryRule.js';

/** Every repository rule, in the order their problems read best. */
export const REPOSITORY_RULES: readonly RepositoryRule[] = [
  uniqueIds,
  folderMatches,
  uniquePorts,
  uniqueTables,
  ownerPresent,
  inputsResolve,
  noCycles,
  contractsExist,
  portContracts,
  contractUsed,
  deprecatedHasSunset,
  consumersOfRetired,
  fieldsExist,
  pipelineResolves,
];
