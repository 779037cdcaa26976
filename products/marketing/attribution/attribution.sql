-- Coupon first, then the last campaign click within 30 days before the order, else unattributed.
with orders as (
  select o.order_id, o.customer_id, o.ordered_at, o.currency, o.total_amount, o.coupon_code
  from {{ ref('sales.orders', 'orders') }} as o
),
campaigns as (
  select c.campaign_id, c.channel, c.utm_campaign, c.coupon_code
  from {{ ref('marketing.campaigns', 'campaigns') }} as c
),
by_coupon as (
  select
    o.order_id,
    c.campaign_id,
    c.channel,
    row_number() over (partition by o.order_id order by c.campaign_id) as match_rank
  from orders as o
  join campaigns as c on c.coupon_code = o.coupon_code
),
by_click as (
  select
    o.order_id,
    s.session_id,
    s.started_at,
    c.campaign_id,
    c.channel,
    row_number() over (partition by o.order_id order by s.started_at desc, s.session_id) as match_rank
  from orders as o
  join {{ ref('marketing.sessions', 'sessions') }} as s
    on s.customer_id = o.customer_id
    and s.started_at <= o.ordered_at
    and s.started_at > o.ordered_at - interval '30 days'
  join campaigns as c on c.utm_campaign = s.utm_campaign
)
select
  cast(o.order_id as text) as order_id,
  cast(o.customer_id as text) as customer_id,
  cast(o.ordered_at as timestamptz) as ordered_at,
  cast(o.currency as text) as currency,
  cast(o.total_amount as numeric(12, 2)) as total_amount,
  cast(case
    when k.order_id is not null then 'coupon'
    when l.order_id is not null then 'last_click'
    else 'unattributed'
  end as text) as method,
  cast(coalesce(k.campaign_id, l.campaign_id) as text) as campaign_id,
  cast(coalesce(k.channel, l.channel) as text) as channel,
  cast(case when k.order_id is null then l.session_id end as text) as touch_session_id,
  cast(case when k.order_id is null then l.started_at end as timestamptz) as touch_at,
  cast(case
    when k.order_id is null and l.order_id is not null
      then floor(extract(epoch from (o.ordered_at - l.started_at)) / 86400)
  end as bigint) as days_to_convert
from orders as o
left join by_coupon as k on k.order_id = o.order_id and k.match_rank = 1
left join by_click as l on l.order_id = o.order_id and l.match_rank = 1
