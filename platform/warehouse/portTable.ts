import type { DataProductManifest } from '../manifest/DataProductManifest.js';
import type { RecordField } from '../contract/recordFields.js';

/** A table in the warehouse. */
export interface TableName {
  readonly schema: string;
  readonly name: string;
}

/**
 * The warehouse table of an output port: the last two parts of `outputs[].dataset.name` when the port names a
 * dataset (`gold.sales_orders`), otherwise `<layer>.<domain>_<name>` for the port named like the product and
 * `<layer>.<domain>_<name>__<port>` for any other, so that adding a port never renames another's table. Names
 * are folded to lower-case identifiers; the `unique-tables` rule reports two ports that land on one table.
 */
export function portTable(manifest: Pick<DataProductManifest, 'id' | 'layer' | 'outputs'>, port: string): TableName {
  const output = manifest.outputs.find((o) => o.port === port);
  if (!output) throw new Error(`product ${manifest.id} has no port ${port}`);
  if (output.dataset) {
    const parts = output.dataset.name.split('.');
    const name = parts[parts.length - 1]!;
    const schema = parts.length > 1 ? parts[parts.length - 2]! : manifest.layer;
    return { schema: identifier(schema), name: identifier(name) };
  }
  const [domain, product] = manifest.id.split('.') as [string, string];
  const suffix = port === product ? '' : `__${port}`;
  return { schema: identifier(manifest.layer), name: identifier(`${domain}_${product}${suffix}`) };
}

function identifier(text: string): string {
  const folded = text.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(folded) ? folded.slice(0, 63) : `_${folded}`.slice(0, 63);
}

/**
 * The PostgreSQL column type for a contract field. Exact numerics, time zones kept, nested data as jsonb. A
 * field that admits several JSON types is `numeric` when they are integer and number, `jsonb` otherwise, so
 * that every value the contract allows has a place.
 */
export function columnType(field: Pick<RecordField, 'type' | 'format'> & { readonly schema?: RecordField['schema'] }): string {
  const declared = field.schema?.['type'];
  if (Array.isArray(declared)) {
    const types = new Set(declared.filter((t) => t !== 'null'));
    if (types.size > 1) return [...types].every((t) => t === 'integer' || t === 'number') ? 'numeric' : 'jsonb';
  }
  switch (field.type) {
    case 'integer':
      return 'bigint';
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'object':
    case 'array':
      return 'jsonb';
    case 'string':
      return field.format === 'date-time' ? 'timestamptz' : field.format === 'date' ? 'date' : 'text';
    case 'null':
    case undefined:
      return 'jsonb';
  }
}
