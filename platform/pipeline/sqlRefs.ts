/**
 * Upstream references in SQL transforms: `{{ ref('sales.orders', 'orders') }}`, or `{{ ref('sales.orders') }}`
 * when the product has one output port. Transforms name ports, never physical tables, so that lineage is
 * declared and the warehouse layout can change.
 */
export interface SqlRef {
  readonly product: string;
  readonly port: string | undefined;
  /** Offset of the whole `{{ ... }}` in the SQL text. */
  readonly offset: number;
  readonly length: number;
}

const REF = /\{\{\s*ref\(\s*'([^']+)'\s*(?:,\s*'([^']+)'\s*)?\)\s*\}\}/g;

export function findSqlRefs(sql: string): SqlRef[] {
  const refs: SqlRef[] = [];
  for (const match of sql.matchAll(REF)) {
    refs.push({ product: match[1]!, port: match[2], offset: match.index, length: match[0].length });
  }
  return refs;
}

/** Replaces every reference by what `resolve` returns (a quoted table name). */
export function replaceSqlRefs(sql: string, resolve: (ref: SqlRef) => string): string {
  let out = '';
  let last = 0;
  for (const ref of findSqlRefs(sql)) {
    out += sql.slice(last, ref.offset) + resolve(ref);
    last = ref.offset + ref.length;
  }
  return out + sql.slice(last);
}
