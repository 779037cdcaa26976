import type { TableName } from '../warehouse/portTable.js';
import { quoteIdent, quoteTable, type SqlClient } from '../db/SqlClient.js';
import { portContract, type AssessPortInput } from './assessPort.js';
import { contractConstraintName, contractPredicate } from './table/contractPredicate.js';
import { describeTable } from './table/describeTable.js';

/** DDL that makes a table enforce its port's contract. */
export interface ContractConstraint {
  /** `mesh_contract_<hash>`: the name `mesh test` recognizes. */
  readonly name: string;
  /** `alter table ... add constraint <name> check (...)`: every field SQL can decide. */
  readonly sql: string;
  /** The constraint's expression alone, the `check (...)` of `sql`. */
  readonly check: string;
  /** Fields that may never be null (required, and null not admitted): candidates for NOT NULL. */
  readonly notNull: readonly string[];
  /** Fields Ajv alone can check; the constraint says nothing of them. */
  readonly unchecked: readonly string[];
}

/**
 * The CHECK constraint that makes `table` enforce what SQL can decide of its port's contract, which a
 * pipeline adds to the table it publishes (`enforceContract`, after the audit removed the rejects): later
 * data tests find the constraint validated and count no row against it (`method.provedBy`), so they cost
 * little more than the metrics. Undefined when SQL decides nothing of the contract, or the records as a whole need Ajv.
 */
export async function contractConstraint(input: Pick<AssessPortInput, 'repository' | 'product' | 'port'> & { client: SqlClient; table: TableName }): Promise<ContractConstraint | undefined> {
  const { analysis } = portContract(input.repository, input.product, input.port);
  const info = await describeTable(input.client, input.table);
  const predicate = await contractPredicate(input.client, analysis, info);
  if (predicate.check === 'true' || predicate.rootResidual !== undefined) return undefined;
  const name = contractConstraintName(predicate.check);
  return {
    name,
    sql: `alter table ${quoteTable(input.table)} add constraint ${quoteIdent(name)} check (${predicate.check})`,
    check: predicate.check,
    notNull: analysis.fields.filter((f) => f.nullValid === false).map((f) => f.field.name),
    unchecked: predicate.residual.map((r) => r.field.field.name),
  };
}
