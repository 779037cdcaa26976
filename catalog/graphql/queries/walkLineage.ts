import type { SqlClient } from '../../../platform/db/SqlClient.js';
import type { NodeRowRead } from '../rows.js';

export type Direction = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

/** A node of a walk: what the graph shows (not the node's facets, which a walk of hundreds of nodes would carry for nothing). */
export interface LineageNodeRead extends Omit<NodeRowRead, 'facets'> {
  readonly distance: number;
}

export interface LineageEdgeRead {
  readonly source: string;
  readonly target: string;
  readonly kind: string;
  readonly via: string;
}

export interface LineageGraphRead {
  readonly nodes: readonly LineageNodeRead[];
  readonly edges: readonly LineageEdgeRead[];
  readonly truncated: boolean;
}

/** Most rows the walk itself may produce before it stops (each node once per distance and direction). */
export const MAX_WALK_ROWS = 20_000;
/** Most edges returned with a graph. */
export const MAX_EDGES = 5_000;

/**
 * A lineage walk: one recursive CTE over `lineage_edges` from the start node, against the edges' direction
 * (upstream, index on target) or with it (downstream, primary key on source), or both separately. A `publishes`
 * edge ties a product to its port's dataset and is followed both ways in either direction, so that a product
 * reaches the jobs that write its datasets (upstream) and the products whose jobs read them (downstream); so is
 * the tie between a dataset and the product its `mesh_dataProduct` facet names.
 *
 * The walk goes one hop beyond `depth`: a node found only there means depth cut the graph short
 * (`truncated`), as does a node cap (`first`) with more nodes, or the walk's own row cap. Breadth first, so
 * the nodes kept are the nearest; only those (`first`, and one more to tell) are read from `lineage_nodes`.
 * Returns an empty graph when the node does not exist.
 */
export async function walkLineage(sql: SqlClient, start: string, direction: Direction, depth: number, first: number): Promise<LineageGraphRead> {
  const directions = direction === 'BOTH' ? ['up', 'down'] : direction === 'UPSTREAM' ? ['up'] : ['down'];
  const { rows } = await sql.query<LineageNodeRead & { walked: number; beyond: number }>(
    `with recursive walk(id, dir, depth) as (
       select key, d, 0 from lineage_nodes cross join unnest($2::text[]) as d where key = $1
       union
       select n.id, w.dir, w.depth + 1
         from walk w cross join lateral (
           select e.source as id from lineage_edges e where w.dir = 'up' and e.target = w.id
           union all
           select e.target from lineage_edges e where w.dir = 'up' and e.source = w.id and e.kind = 'publishes'
           union all
           select e.target from lineage_edges e where w.dir = 'down' and e.source = w.id
           union all
           select e.source from lineage_edges e where w.dir = 'down' and e.target = w.id and e.kind = 'publishes'
           -- A dataset whose mesh facet names its product belongs to it like a declared port's dataset
           -- (a port that does not name its dataset in the manifest is known from the events alone).
           union all
           select d.key from lineage_nodes d
            where starts_with(w.id, 'product:') and d.kind = 'dataset' and d.facets ? 'mesh_dataProduct'
              and d.facets #>> '{mesh_dataProduct,product}' = substr(w.id, 9)
           union all
           select 'product:' || (d.facets #>> '{mesh_dataProduct,product}') from lineage_nodes d
            where d.key = w.id and d.kind = 'dataset' and d.facets ? 'mesh_dataProduct'
         ) n
        where w.depth <= $3
     ),
     walked as (select id, depth from walk limit $4),
     nearest as (select id, min(depth) as distance from walked group by id)
     select n.key, n.kind, n.namespace, n.name, n.field, coalesce(n.product_id, p.product_id, n.facets #>> '{mesh_dataProduct,product}') as product_id,
            coalesce(n.port, p.name, n.facets #>> '{mesh_dataProduct,port}') as port, w.distance, (select count(*)::int from walked) as walked,
            (select count(*)::int from nearest where distance > $3) as beyond
       from nearest w join lineage_nodes n on n.key = w.id left join ports p on p.dataset_key = n.key
      where w.distance <= $3
      order by w.distance, n.key
      limit $5`,
    [start, directions, depth, MAX_WALK_ROWS, first + 1],
  );
  const walked = rows[0]?.walked ?? 0;
  const truncated = (rows[0]?.beyond ?? 0) > 0 || rows.length > first || walked >= MAX_WALK_ROWS;
  const nodes = rows.slice(0, first).map(({ walked: _walked, beyond: _beyond, ...node }) => node);
  if (nodes.length === 0) return { nodes, edges: [], truncated };
  const ids = nodes.map((n) => n.key);
  const edges = (await sql.query<LineageEdgeRead>(
    `with walked as materialized (
       -- the walk's nodes by primary key, planned on their own: joined to the facet condition, the planner
       -- prefers the partial index on the mesh facet and reads every port dataset through it
       select key, kind, facets from lineage_nodes where key = any($1::text[])
     )
     select source, target, kind, via from (
       select source, target, kind, via from lineage_edges where source = any($1::text[]) and target = any($1::text[])
       union
       select 'product:' || (d.facets #>> '{mesh_dataProduct,product}'), d.key, 'publishes', coalesce(d.facets #>> '{mesh_dataProduct,port}', '')
         from walked d
        where d.kind = 'dataset' and d.facets ? 'mesh_dataProduct'
          and 'product:' || (d.facets #>> '{mesh_dataProduct,product}') = any($1::text[])
     ) e order by source, kind, target, via limit $2`,
    [ids, MAX_EDGES + 1],
  )).rows;
  return { nodes, edges: edges.slice(0, MAX_EDGES), truncated: truncated || edges.length > MAX_EDGES };
}
