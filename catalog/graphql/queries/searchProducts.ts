import type { SqlClient } from '../../../platform/db/SqlClient.js';

export interface ProductFilter {
  readonly query?: string | null | undefined;
  readonly domain?: string | null | undefined;
  readonly owner?: string | null | undefined;
  readonly tag?: string | null | undefined;
  readonly layer?: string | null | undefined;
  readonly status?: string | null | undefined;
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export interface ProductSearch {
  readonly totalCount: number;
  /** The page, in order, with each product's rank (null without a query). */
  readonly page: readonly { id: string; rank: number | null }[];
  readonly facets: Readonly<Record<'domain' | 'layer' | 'owner' | 'tag' | 'status', FacetCount[]>>;
}

/**
 * One statement for a page of discovery: the filtered set, ranked by `ts_rank_cd` over the weighted search
 * vector (names A, descriptions and tags B, contract field names C, field descriptions D), ties broken by the
 * mean of the latest quality score of each port (`products.quality`), then by id; the total; and the facet counts over the same set.
 * The search text is a parameter read by `websearch_to_tsquery`, which accepts any text (quotes, `-`, `or`, SQL
 * metacharacters) without a syntax error.
 */
export async function searchProducts(sql: SqlClient, filter: ProductFilter, first: number, offset: number): Promise<ProductSearch> {
  const text = filter.query?.trim() ? filter.query.trim() : null;
  // With a search text the match is written plainly (`search @@ <tsquery>`), so that the planner can use the GIN
  // index; an `is null or` around it would make every search a sequential scan. The text stays a parameter.
  const match = text === null ? 'true' : 'p.search @@ q.tsq';
  const { rows } = await sql.query<{ total: number; page: { id: string; rank: number | null }[]; facets: ProductSearch['facets'] }>(
    `with q as (select case when $1::text is null then null else websearch_to_tsquery('english', $1::text) end as tsq),
     matched as (
       select p.id, p.domain, p.layer, p.owner_team, p.tags, p.status,
              -- The mean of each port's latest score, kept on the product by a trigger (migration 5).
              p.quality,
              case when q.tsq is null then null else ts_rank_cd(p.search, q.tsq)::float8 end as rank
         from products p cross join q
        where ${match}
          and ($2::text is null or p.domain = $2) and ($3::text is null or p.owner_team = $3)
          and ($4::text is null or $4 = any(p.tags)) and ($5::text is null or p.layer = $5)
          and ($6::text is null or p.status = $6)
     ),
     page as (
       select id, rank, n from (
         select id, rank, row_number() over (order by rank desc nulls last, quality desc nulls last, id) as n from matched
       ) ordered where n > $8 and n <= $8 + $7
     ),
     -- One pass of grouping sets for the single-valued facets (a union of four copies of the matches costs
     -- several times more), and the tags apart.
     counted as (
       select case when grouping(domain) = 0 then 'domain' when grouping(layer) = 0 then 'layer'
                   when grouping(owner_team) = 0 then 'owner' else 'status' end as facet,
              coalesce(domain, layer, owner_team, status) as value, count(*)::int as count
         from matched group by grouping sets ((domain), (layer), (owner_team), (status))
       union all
       select 'tag', t, count(*)::int from matched cross join unnest(tags) as t group by t
     )
     select (select count(*)::int from matched) as total,
            (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'rank', rank) order by n), '[]'::jsonb) from page) as page,
            (select jsonb_build_object(
               'domain', coalesce(jsonb_agg(jsonb_build_object('value', value, 'count', count) order by count desc, value) filter (where facet = 'domain'), '[]'::jsonb),
               'layer', coalesce(jsonb_agg(jsonb_build_object('value', value, 'count', count) order by count desc, value) filter (where facet = 'layer'), '[]'::jsonb),
               'owner', coalesce(jsonb_agg(jsonb_build_object('value', value, 'count', count) order by count desc, value) filter (where facet = 'owner'), '[]'::jsonb),
               'tag', coalesce(jsonb_agg(jsonb_build_object('value', value, 'count', count) order by count desc, value) filter (where facet = 'tag'), '[]'::jsonb),
               'status', coalesce(jsonb_agg(jsonb_build_object('value', value, 'count', count) order by count desc, value) filter (where facet = 'status'), '[]'::jsonb))
             from counted) as facets`,
    [text, filter.domain ?? null, filter.owner ?? null, filter.tag ?? null, filter.layer ?? null, filter.status ?? null, first, offset],
  );
  const row = rows[0]!;
  return { totalCount: row.total, page: row.page, facets: row.facets };
}
