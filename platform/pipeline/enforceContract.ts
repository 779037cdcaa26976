import { createHash } from 'node:crypto';
import { contractConstraint } from '../quality/contractConstraint.js';
import { portContract } from '../quality/assessPort.js';
import type { KeyMetrics } from '../quality/QualityReport.js';
import type { Repository } from '../repo/Repository.js';
import { quoteIdent, quoteTable, type SqlClient } from '../db/SqlClient.js';
import { errorMessage } from '../errors.js';
import type { TableName } from '../warehouse/portTable.js';

/** A key of the contract as the published table enforces it. */
export interface EnforcedKey {
  readonly fields: readonly string[];
  /** A primary key (every field NOT NULL), or a unique constraint. */
  readonly primary: boolean;
  /** The constraint's name on the table it was made on. */
  readonly constraint: string;
}

/** What a published table enforces of its port's contract (a step's `enforces` in the run summary). */
export interface ContractEnforcement {
  /** The CHECK constraint holding what SQL decides of the contract (`mesh_contract_<hash>`); null when none holds. */
  readonly check: string | null;
  /** Columns declared NOT NULL: the contract's required fields that do not admit null. */
  readonly notNull: readonly string[];
  /** The contract's keys as primary key or unique constraints. */
  readonly keys: readonly EnforcedKey[];
  /** What the contract implies that the table could not be made to enforce, and why (duplicate keys, a row SQL cannot prove valid). */
  readonly skipped: readonly string[];
}

export interface EnforceContractInput {
  readonly repository: Pick<Repository, 'products' | 'contracts'>;
  readonly product: string;
  readonly port: string;
  /** The audited table, its rejects removed. */
  readonly table: TableName;

  /** The audit's key metrics: a key it found duplicated is not attempted. */
  readonly keys?: readonly KeyMetrics[];
}

/**
 * Makes a table enforce its port's contract, as dbt does for a model whose contract is enforced: the
 * contract's CHECK constraint (`contractConstraint`) and NOT NULL on its required fields, in one ALTER TABLE
 * (one pass over the rows), then a primary key on `x-primary-key` and a unique constraint on each `x-unique`
 * field. Readers can rely on them, and data tests (the run's audit, `mesh test`) trust them instead of
 * evaluating the contract on every row (`method.provedBy`) and counting keys (`enforced`).
 *
 * What the table already carries is kept as it is, so a second call after rows were removed tries only what
 * failed. Each addition runs in a savepoint and may fail without failing the run, because the audit's
 * verdict is Ajv's, not SQL's: a row SQL cannot prove valid but Ajv accepts (a number beyond 1e300, say)
 * breaks the CHECK, and a bronze port may publish duplicate keys (a key `keys` says is duplicated is not
 * attempted). What could not be enforced is listed in `skipped`.
 */
export async function enforceContract(tx: SqlClient, input: EnforceContractInput): Promise<ContractEnforcement> {
  const { analysis } = portContract(input.repository, input.product, input.port);
  const table = quoteTable(input.table);
  const columns = await tableColumns(tx, input.table);
  const has = (f: string) => columns.some((c) => c.name === f);
  const { rows: present } = await tx.query<{ name: string }>('select conname::text as name from pg_constraint where conrelid = to_regclass($1) and convalidated', [table]);
  const carries = (name: string) => present.some((c) => c.name === name);
  const skipped: string[] = [];
  const attempt = async (what: string, actions: readonly string[]): Promise<boolean> => {
    if (actions.length === 0) return true;
    try {
      await tx.transaction((sp) => sp.exec(`alter table ${table} ${actions.join(', ')}`));
      return true;
    } catch (error) {
      skipped.push(`${what}: ${errorMessage(error)}`);
      return false;
    }
  };

  // The CHECK constraint and the NOT NULLs in one statement, so that PostgreSQL reads the rows once; the
  // NOT NULLs alone when the CHECK does not hold.
  const constraint = await contractConstraint({ ...input, client: tx });
  const wanted = (constraint?.notNull ?? []).filter(has);
  const setNotNull = wanted.filter((f) => !columns.some((c) => c.name === f && c.notNull)).map((f) => `alter column ${quoteIdent(f)} set not null`);
  let check: string | null = null;
  let notNullHolds = true;
  if (constraint && carries(constraint.name)) {
    check = constraint.name;
    notNullHolds = await attempt('not null', setNotNull);
  } else if (constraint && (await attempt(`check ${constraint.name}`, [`add constraint ${quoteIdent(constraint.name)} check (${constraint.check})`, ...setNotNull]))) {
    check = constraint.name;
  } else notNullHolds = await attempt('not null', setNotNull);
  const required = new Set([...(notNullHolds ? wanted : []), ...columns.filter((c) => c.notNull).map((c) => c.name)]);

  // Keys: the contract's primary key, then each x-unique field (the single-field primary key only once). A
  // primary key needs every part NOT NULL; a key with a nullable part is a unique constraint (rows with a
  // null part are not compared, as the audit counts them).
  const shape = analysis.shape;
  const specs: { fields: readonly string[]; primary: boolean }[] = [];
  if (shape.primaryKey.length > 0) specs.push({ fields: shape.primaryKey, primary: true });
  for (const field of shape.fields) {
    if (field.unique && !(shape.primaryKey.length === 1 && shape.primaryKey[0] === field.name)) specs.push({ fields: [field.name], primary: false });
  }
  const keys: EnforcedKey[] = [];
  for (const spec of specs) {
    const label = `${spec.primary ? 'primary key' : 'unique'} (${spec.fields.join(', ')})`;
    const absent = spec.fields.filter((f) => !has(f));
    const measured = input.keys?.find((k) => k.fields.length === spec.fields.length && k.fields.every((f, i) => f === spec.fields[i]));
    const primary = spec.primary && spec.fields.every((f) => required.has(f));
    const name = keyConstraintName(input.table, spec.fields, primary);
    if (absent.length > 0) skipped.push(`${label}: no column ${absent.join(', ')}`);
    else if (carries(name)) keys.push({ fields: spec.fields, primary, constraint: name });
    else if (measured && measured.duplicates > 0) skipped.push(`${label}: ${measured.duplicates} duplicate ${measured.duplicates === 1 ? 'key' : 'keys'}`);
    else if (await attempt(label, [`add constraint ${quoteIdent(name)} ${primary ? 'primary key' : 'unique'} (${spec.fields.map(quoteIdent).join(', ')})`])) {
      keys.push({ fields: spec.fields, primary, constraint: name });
    }
  }
  return { check, notNull: wanted.filter((f) => required.has(f)), keys, skipped };
}

/** After the staged table was renamed into place, its keys take the published table's names. */
export async function renameKeys(tx: SqlClient, enforcement: ContractEnforcement, target: TableName): Promise<ContractEnforcement> {
  const keys: EnforcedKey[] = [];
  for (const key of enforcement.keys) {
    const name = keyConstraintName(target, key.fields, key.primary);
    if (name !== key.constraint) await tx.exec(`alter table ${quoteTable(target)} rename constraint ${quoteIdent(key.constraint)} to ${quoteIdent(name)}`);
    keys.push({ ...key, constraint: name });
  }
  return { ...enforcement, keys };
}

/**
 * Drops what a published table enforces before its rows are replaced in place: the contract's CHECK
 * constraints (`mesh_contract_*`), its primary key and unique constraints, and NOT NULL on every column, so
 * that the new rows are judged by the new contract (which the staged table enforces), not the old one.
 */
export async function dropEnforcement(tx: SqlClient, target: TableName): Promise<void> {
  const { rows } = await tx.query<{ name: string }>(
    `select conname::text as name from pg_constraint
      where conrelid = to_regclass($1) and (contype in ('p', 'u') or (contype = 'c' and conname like 'mesh\\_contract\\_%'))`,
    [quoteTable(target)],
  );
  const columns = (await tableColumns(tx, target)).filter((c) => c.notNull);
  const actions = [...rows.map((r) => `drop constraint ${quoteIdent(r.name)}`), ...columns.map((c) => `alter column ${quoteIdent(c.name)} drop not null`)];
  if (actions.length > 0) await tx.exec(`alter table ${quoteTable(target)} ${actions.join(', ')}`);
}

/**
 * The name of a key constraint (and its index), as PostgreSQL would name it: `<table>_pkey`, or
 * `<table>_<fields>_key`; index names share the schema's namespace, so a name too long for 63 bytes is
 * `mesh_key_` and a hash of the table and the fields instead of being cut to a name that could collide.
 */
export function keyConstraintName(table: TableName, fields: readonly string[], primary: boolean): string {
  const name = primary ? `${table.name}_pkey` : `${table.name}_${fields.join('_')}_key`;
  if (Buffer.byteLength(name) <= 63) return name;
  return `mesh_key_${createHash('sha256').update(JSON.stringify([table.schema, table.name, fields, primary])).digest('hex').slice(0, 24)}`;
}

async function tableColumns(tx: SqlClient, table: TableName): Promise<{ name: string; notNull: boolean }[]> {
  const { rows } = await tx.query<{ name: string; notNull: boolean }>(
    `select attname::text as name, attnotnull as "notNull" from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped order by attnum`,
    [quoteTable(table)],
  );
  return rows;
}
