import type { SqlClient } from '../../../platform/db/SqlClient.js';
import type { FieldRow } from '../rows.js';

export interface FieldFilter {
  readonly query?: string | null | undefined;
  readonly pii?: boolean | null | undefined;
  readonly classification?: string | null | undefined;
}

export interface FieldHit extends FieldRow {
  readonly product_id: string | null;
  readonly port: string | null;
  readonly dataset_key: string | null;
}

/**
 * Contract fields across the mesh, one hit per port that publishes the field's contract (or one without a
 * port). The query matches the field's words and description (full text) or its name as a substring
 * (`email` finds `customer_email`), the substring escaped so that `%` and `_` are plain characters; ranked by
 * full-text rank, then name, contract and product.
 */
export async function searchFields(sql: SqlClient, filter: FieldFilter, first: number, offset: number): Promise<{ totalCount: number; hits: FieldHit[] }> {
  const text = filter.query?.trim() ? filter.query.trim() : null;
  const like = text === null ? null : `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await sql.query<FieldHit & { total: number }>(
    `with q as (select case when $1::text is null then null else websearch_to_tsquery('english', $1::text) end as tsq),
     hits as (
       select f.contract_path, f.name, f.type, f.nullable, f.required, f.format, f.description, f.pii, f.classification,
              f.primary_key, f.is_unique, po.product_id, po.name as port, po.dataset_key,
              case when q.tsq is null then 0 else ts_rank_cd(f.search, q.tsq)::float8 end as rank
         from contract_fields f cross join q left join ports po on po.contract_path = f.contract_path
        where ($1::text is null or f.search @@ q.tsq or lower(f.name) like $2 escape '\\')
          and ($3::boolean is null or f.pii = $3) and ($4::text is null or f.classification = $4)
     )
     select *, count(*) over ()::int as total from hits
      order by rank desc, name, contract_path, product_id nulls last, port nulls last
      limit $5 offset $6`,
    [text, like, filter.pii ?? null, filter.classification ?? null, first, offset],
  );
  if (rows.length === 0 && offset > 0) {
    const count = await sql.query<{ total: number }>(
      `select count(*)::int as total from contract_fields f left join ports po on po.contract_path = f.contract_path
        where ($1::text is null or f.search @@ websearch_to_tsquery('english', $1::text) or lower(f.name) like $2 escape '\\')
          and ($3::boolean is null or f.pii = $3) and ($4::text is null or f.classification = $4)`,
      [text, like, filter.pii ?? null, filter.classification ?? null],
    );
    return { totalCount: count.rows[0]!.total, hits: [] };
  }
  return { totalCount: rows[0]?.total ?? 0, hits: rows.map(({ total: _total, ...hit }) => hit) };
}
