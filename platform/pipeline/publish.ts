import { ConflictError } from '../errors.js';
import type { RecordField } from '../contract/recordFields.js';
import { quoteIdent, quoteLiteral, quoteTable, type SqlClient } from '../db/SqlClient.js';
import type { TableName } from '../warehouse/portTable.js';
import { dropEnforcement } from './enforceContract.js';
import { applyGrants, dependentViews, dropRelation, readGrants, relationColumns, relationKind } from './relations.js';

/** How a port's relation was published: new, swapped for the old one, or refilled in place (views depend on it). */
export type PublishMode = 'created' | 'swapped' | 'refilled';

/**
 * Swaps the audited `staging` table in as `target`, inside the caller's transaction: readers see the old
 * table until the commit and the new one after, never a partial one.
 *
 * Normally the old relation is dropped and `staging` renamed (metadata only, whatever the size), keeping the
 * old table's grants. When views depend on the old table (a downstream product's view), dropping it is not
 * possible without dropping them: the table is then refilled in place (TRUNCATE and INSERT, still one
 * transaction), which needs the same columns; if the columns changed, it refuses and names the views. Its
 * constraints, the old contract's, are dropped first (`dropEnforcement`): the new rows answer to the new
 * one, which the caller has the refilled table enforce again.
 */
export async function publishTable(tx: SqlClient, staging: TableName, target: TableName): Promise<PublishMode> {
  const existing = await relationKind(tx, target);
  if (existing === undefined) {
    await tx.exec(`alter table ${quoteTable(staging)} rename to ${quoteIdent(target.name)}`);
    return 'created';
  }
  const dependents = await dependentViews(tx, target);
  if (dependents.length === 0) {
    const grants = await readGrants(tx, target);
    await dropRelation(tx, target);
    await tx.exec(`alter table ${quoteTable(staging)} rename to ${quoteIdent(target.name)}`);
    await applyGrants(tx, grants, target);
    return 'swapped';
  }
  if (existing === 'table' && sameColumns(await relationColumns(tx, target), await relationColumns(tx, staging))) {
    await dropEnforcement(tx, target);
    await tx.exec(`truncate ${quoteTable(target)}`);
    await tx.exec(`insert into ${quoteTable(target)} select * from ${quoteTable(staging)}`);
    await tx.exec(`drop table ${quoteTable(staging)}`);
    return 'refilled';
  }
  throw pinnedError(target, existing, 'a table with other columns', dependents);
}

/**
 * Publishes a view: `create or replace` keeps views that depend on it working when its columns stay the
 * same or only grow at the end; otherwise the old relation is dropped and the view created again, which
 * views that depend on it forbid.
 */
export async function publishView(tx: SqlClient, query: string, target: TableName): Promise<PublishMode> {
  const existing = await relationKind(tx, target);
  const create = `create view ${quoteTable(target)} as\n${query}`;
  if (existing === undefined) {
    await tx.query(create);
    return 'created';
  }
  if (existing === 'view') {
    try {
      await tx.transaction((inner) => inner.query(`create or replace view ${quoteTable(target)} as\n${query}`));
      return 'refilled';
    } catch {
      // Columns renamed, removed or retyped: only a drop and a create will do.
    }
  }
  const dependents = await dependentViews(tx, target);
  if (dependents.length > 0) throw pinnedError(target, existing, existing === 'view' ? 'a view with other columns' : 'a view', dependents);
  const grants = await readGrants(tx, target);
  await dropRelation(tx, target);
  await tx.query(create);
  await applyGrants(tx, grants, target);
  return 'swapped';
}

/** Table and column comments from the product and its contract, so that the warehouse documents itself. */
export async function describeRelation(tx: SqlClient, target: TableName, kind: 'table' | 'view', description: string, fields: readonly RecordField[]): Promise<void> {
  const columns = new Set((await relationColumns(tx, target)).map((c) => c.name));
  const statements = [`comment on ${kind} ${quoteTable(target)} is ${quoteLiteral(description)}`];
  for (const field of fields) {
    if (field.description !== undefined && columns.has(field.name)) {
      statements.push(`comment on column ${quoteTable(target)}.${quoteIdent(field.name)} is ${quoteLiteral(field.description)}`);
    }
  }
  await tx.exec(statements.join(';\n'));
}

function sameColumns(a: readonly { name: string; type: string }[], b: readonly { name: string; type: string }[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.type === b[i]!.type);
}

function pinnedError(target: TableName, existing: string, replacement: string, dependents: readonly string[]): ConflictError {
  const one = dependents.length === 1;
  return new ConflictError(
    `cannot replace ${existing} ${quoteTable(target)} with ${replacement}: ${one ? 'view' : 'views'} ${dependents.join(', ')} ${one ? 'depends' : 'depend'} on it. ` +
      `Drop ${one ? 'it' : 'them'} (a product's view comes back on its next run), then run again.`,
  );
}
