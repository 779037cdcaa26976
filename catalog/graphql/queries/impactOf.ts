import type { SqlClient } from '../../../platform/db/SqlClient.js';

export interface ImpactRow {
  readonly product_id: string;
  readonly distance: number;
  readonly field_level: boolean;
  readonly fields: string[];
}

/** Where impact analysis starts: a lineage node id, or a product with an optional port and field. */
export type ImpactStart = { readonly node: string } | { readonly product: string; readonly port?: string | null | undefined; readonly field?: string | null | undefined };

/**
 * Every product downstream of a start node, with its distance in products (1 = a direct consumer). The start
 * is a product (`product:<id>`: all its ports), a port's dataset (`dataset:<ns>:<name>`: that port, or for an
 * external dataset the products consuming it), a contract field of a port (`field:<ns>:<name>:<field>`), or a
 * product, port and field named directly (which needs no dataset on the port).
 *
 * One recursive CTE over states (product, port, field). A state reaches
 * - the products whose manifests declare the port as an input, when they read the field (or all fields); those
 *   continue at product level;
 * - through column lineage (`derives` edges from the field's node), the fields of other products' ports, which
 *   continue at field level;
 * - through observed runs (a job reads the port's dataset and writes another product's), the writing product;
 *   at field level only column lineage counts, since a run that reads a dataset need not read every field.
 * `field_level` says the product is affected through a named field (declared input fields or column lineage);
 * `fields` are its own fields that column lineage derives from the start.
 */
export async function impactOf(sql: SqlClient, start: ImpactStart, depth: number, first: number): Promise<{ rows: ImpactRow[]; truncated: boolean }> {
  const { rows } = await sql.query<ImpactRow>(
    `with recursive start as (
       select p.id as product_id, null::text as port, null::text as field from products p where starts_with($1, 'product:') and p.id = substr($1, 9)
       union all
       select po.product_id, po.name, null from ports po where po.dataset_key = $1
       union all
       -- a field id is its port dataset's id and the field name: each colon of the id is a candidate split,
       -- looked up by index (ports_dataset) rather than matching every port's prefix
       select po.product_id, po.name, substr($1, i + 1)
         from generate_series(8, length($1) - 1) as i
         join ports po on po.dataset_key = 'dataset:' || substr($1, 7, i - 7)
        where starts_with($1, 'field:') and substr($1, i, 1) = ':'
       union all
       select $4::text, $5::text, $6::text where $4::text is not null
     ),
     impact(product_id, port, field, distance, field_level) as (
       select product_id, port, field, 0, false from start
       union all
       select pi.product_id, null, null, 1, pi.fields is not null from product_inputs pi
        where pi.dataset_key = $1 and not exists (select 1 from start)
       union
       select n.product_id, n.port, n.field, i.distance + 1, n.field_level
         from impact i cross join lateral (
           select pi.product_id, null::text as port, null::text as field, (i.field is not null and pi.fields is not null) as field_level
             from product_inputs pi
            where pi.upstream_product = i.product_id
              and (i.port is null or pi.upstream_port is null or pi.upstream_port = i.port)
              and (i.field is null or pi.fields is null or i.field = any(pi.fields))
           union all
           select po2.product_id, po2.name, t.field, true
             from ports po join lineage_nodes s on s.kind = 'field' and s.dataset_key = po.dataset_key and s.field = i.field
             join lineage_edges e on e.source = s.key and e.kind = 'derives'
             join lineage_nodes t on t.key = e.target and t.kind = 'field'
             join ports po2 on po2.dataset_key = t.dataset_key
            where i.field is not null and po.product_id = i.product_id and po.name = i.port and po2.product_id <> i.product_id
           union all
           select po2.product_id, null, null, false
             from ports po join lineage_edges r on r.source = po.dataset_key and r.kind = 'reads'
             join lineage_edges w on w.source = r.target and w.kind = 'writes'
             join ports po2 on po2.dataset_key = w.target
            where i.field is null and po.product_id = i.product_id and (i.port is null or po.name = i.port) and po2.product_id <> i.product_id
         ) n
        where i.distance < $2
     )
     select product_id, min(distance)::int as distance, bool_or(field_level) as field_level,
            coalesce(array_agg(distinct field) filter (where field is not null), '{}') as fields
       from impact
      where distance > 0 and not exists (select 1 from start s where s.product_id = impact.product_id)
      group by product_id
      order by distance, product_id
      limit $3`,
    ['node' in start ? start.node : null, depth, first + 1, 'product' in start ? start.product : null, 'product' in start ? (start.port ?? null) : null, 'product' in start ? (start.field ?? null) : null],
  );
  return { rows: rows.slice(0, first), truncated: rows.length > first };
}
