import { createHash } from 'node:crypto';
import type { Constraint, ContractAnalysis, FieldAnalysis } from '../contract/analyzeContract.js';
import type { SqlClient } from '../../db/SqlClient.js';
import type { ColumnInfo, TableInfo } from './describeTable.js';
import { fieldPredicate, literal, type PredicateContext } from './fieldPredicate.js';

/** Columns whose names start with this belong to the platform (run ids, load times) and are not data. */
export const PLATFORM_COLUMN_PREFIX = '_mesh_';

/** What SQL decides of a contract on one table, and what is left to Ajv. */
export interface ContractPredicate {
  /** True for a row SQL proves valid (`coalesce(... , false)`: never null); `true` when nothing to check. */
  readonly valid: string;
  /**
   * The same predicate as a CHECK constraint: the parts' plain conjunction. Each part is true or false for
   * every row, never null (`fieldPredicate`; the soundness test holds it to that), so the constraint
   * admits exactly the rows `valid` is true for; without `coalesce`, the planner can also reason with it
   * (`constraint_exclusion` turns a query for rows it excludes into an empty result). `true` when nothing
   * to check.
   */
  readonly check: string;
  /**
   * The conjuncts of `valid`, one per field (and `false` for columns a closed contract forbids): counted one
   * by one in the aggregate scan, so that the rows to stream can be selected by the few that fail.
   */
  readonly parts: readonly { readonly field: string; readonly sql: string }[];
  /** Fields whose every constraint the predicate decides. */
  readonly pushedDown: readonly string[];
  /** Fields beyond SQL, and why. */
  readonly residual: readonly { readonly field: FieldAnalysis; readonly reason: string }[];
  /** Why whole records need Ajv (root keywords, columns under a schema for other properties). */
  readonly rootResidual: string | undefined;
  /** Columns the contract does not name (platform columns aside), and contract fields without a column. */
  readonly extra: readonly ColumnInfo[];
  readonly missing: readonly string[];
}

/** Builds the contract predicate of a table: each field's `fieldPredicate`, the database asked which patterns it compiles. */
export async function contractPredicate(client: SqlClient, analysis: ContractAnalysis, info: TableInfo): Promise<ContractPredicate> {
  const columns = new Map(info.columns.map((c) => [c.name, c]));
  const fieldNames = new Set(analysis.fields.map((f) => f.field.name));
  const extra = info.columns.filter((c) => !fieldNames.has(c.name) && !c.name.startsWith(PLATFORM_COLUMN_PREFIX));
  const missing = analysis.fields.filter((f) => !columns.has(f.field.name)).map((f) => f.field.name);
  const context: PredicateContext = {
    textPushdown: info.textPushdown,
    regexOk: await provenRegexes(client, analysis.fields),
  };
  let rootResidual = analysis.rootResidual;
  if (!rootResidual && extra.length > 0 && analysis.others === 'schema') rootResidual = `columns ${extra.map((c) => c.name).join(', ')} meet the contract's schema for other properties`;
  const parts: { field: string; sql: string }[] = [];
  const pushedDown: string[] = [];
  const residual: { field: FieldAnalysis; reason: string }[] = [];
  for (const field of analysis.fields) {
    const column = columns.get(field.field.name);
    const predicate = fieldPredicate(field, column, context);
    if (predicate === undefined) residual.push({ field, reason: field.residual ?? `not decidable in SQL on a ${column?.type ?? 'missing'} column` });
    else {
      pushedDown.push(field.field.name);
      if (predicate !== 'true') parts.push({ field: field.field.name, sql: predicate });
    }
  }
  if (extra.length > 0 && analysis.others === 'none') parts.push({ field: '(extra columns)', sql: 'false' }); // a closed contract rejects every row
  return { valid: allOf(parts), check: parts.length === 0 ? 'true' : parts.map((p) => p.sql).join(' and '), parts, pushedDown, residual, rootResidual, extra, missing };
}

/** The conjunction of predicates as one never-null condition; `true` for none. */
export function allOf(parts: readonly { readonly sql: string }[]): string {
  return parts.length === 0 ? 'true' : `coalesce(${parts.map((p) => p.sql).join(' and ')}, false)`;
}

/**
 * The name of the CHECK constraint that holds exactly `predicate` (`ContractPredicate.check`): `mesh_contract_`
 * and a hash of its text.
 * A validated constraint of that name proves every row valid against what SQL decides of the contract, so a
 * data test need not evaluate it; any change to the contract or to the columns changes the predicate, hence
 * the name, and an old constraint no longer counts. Constraints so named belong to the platform.
 */
export function contractConstraintName(predicate: string): string {
  return `mesh_contract_${createHash('sha256').update(predicate).digest('hex').slice(0, 24)}`;
}

/** Which translated patterns the database compiles: asked once each, in a savepoint. */
async function provenRegexes(client: SqlClient, fields: readonly FieldAnalysis[]): Promise<(are: string) => boolean> {
  const patterns = new Set<string>();
  const visit = (constraints: readonly Constraint[]) => {
    for (const c of constraints) {
      if (c.kind === 'pattern' && c.are !== undefined) patterns.add(c.are);
      if (c.kind === 'format' && c.test.kind === 'regex' && c.test.are !== undefined) patterns.add(c.test.are);
      if (c.kind === 'anyOf') c.branches.forEach(visit);
    }
  };
  for (const f of fields) if (f.constraints) visit(f.constraints);
  const ok = new Set<string>();
  for (const are of patterns) {
    const compiled = await client.transaction((tx) => tx.query(`select '' ~ ${literal(are)} as m`)).then(
      () => true,
      () => false,
    );
    if (compiled) ok.add(are);
  }
  return (are) => ok.has(are);
}
