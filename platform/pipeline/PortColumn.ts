import type { RecordShape } from '../contract/recordFields.js';
import { columnType } from '../warehouse/portTable.js';

/** The JSON type a column's values have in a JSON-lines record; `any` for a column that takes several. */
export type JsonKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'any';

/** One column of a port's table, from one top-level field of its contract. */
export interface PortColumn {
  readonly name: string;
  /** The PostgreSQL type (`columnType`). */
  readonly sqlType: string;
  readonly json: JsonKind;
}

/** The columns of a port's table, in the contract's property order. */
export function portColumns(shape: RecordShape): PortColumn[] {
  return shape.fields.map((field) => {
    const sqlType = columnType(field);
    return { name: field.name, sqlType, json: jsonKind(sqlType, field.type) };
  });
}

/** The JSON kind of a column of type `sqlType`, for a field whose main type is `type`. */
export function jsonKind(sqlType: string, type: string | undefined): JsonKind {
  switch (sqlType) {
    case 'bigint':
      return 'integer';
    case 'numeric':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'text':
    case 'date':
    case 'timestamptz':
      return 'string';
    default:
      return sqlType === 'jsonb' && (type === 'object' || type === 'array') ? type : 'any';
  }
}
