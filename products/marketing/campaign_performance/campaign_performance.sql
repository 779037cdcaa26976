-- Cost and attributed net revenue per campaign; campaigns without attributed orders keep zero revenue.
with attributed as (
  select
    a.campaign_id,
    count(*) as orders,
    sum(r.net_amount_eur) as revenue_eur
  from {{ ref('marketing.attribution', 'attribution') }} as a
  join {{ ref('finance.revenue', 'revenue') }} as r on r.order_id = a.order_id
  where a.campaign_id is not null
  group by a.campaign_id
)
select
  cast(c.campaign_id as text) as campaign_id,
  cast(c.campaign_name as text) as campaign_name,
  cast(c.channel as text) as channel,
  cast(c.budget as numeric(12, 2)) as budget_eur,
  cast(c.spend as numeric(12, 2)) as spend_eur,
  cast(coalesce(x.orders, 0) as bigint) as attributed_orders,
  cast(coalesce(x.revenue_eur, 0) as numeric(12, 2)) as attributed_revenue_eur,
  cast(case when c.spend > 0 then round(coalesce(x.revenue_eur, 0) / c.spend, 4) end as numeric(12, 4)) as roas,
  cast(case when x.orders > 0 then round(c.spend / x.orders, 2) end as numeric(12, 2)) as cost_per_order_eur
from {{ ref('marketing.campaigns', 'campaigns') }} as c
left join attributed as x on x.campaign_id = c.campaign_id
