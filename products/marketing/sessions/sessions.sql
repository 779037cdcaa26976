-- Sessions from deduplicated events. Events received more than a day after their browser time come from
-- devices replaying an offline queue; their times would stretch sessions over months, so they are dropped.
with events as (
  select
    e.*,
    row_number() over (partition by e.event_id order by e.received_at) as delivery_rank
  from {{ ref('marketing.web_events', 'events') }} as e
  where e.session_id is not null
    and e.received_at - e.event_time <= interval '1 day'
),
ordered as (
  select
    e.*,
    row_number() over (partition by e.session_id order by e.event_time, e.event_id) as position
  from events as e
  where e.delivery_rank = 1
)
select
  cast(session_id as text) as session_id,
  cast(max(anonymous_id) as text) as anonymous_id,
  cast(max(customer_id) as text) as customer_id,
  cast(min(event_time) as timestamptz) as started_at,
  cast(max(event_time) as timestamptz) as ended_at,
  cast(count(*) as bigint) as events_count,
  cast(sum(case when event_type in ('page_view', 'product_view') then 1 else 0 end) as bigint) as page_views,
  cast(max(case when position = 1 then page_url end) as text) as landing_page,
  cast(max(case when position = 1 then cast(utm as jsonb) ->> 'source' end) as text) as utm_source,
  cast(max(case when position = 1 then cast(utm as jsonb) ->> 'medium' end) as text) as utm_medium,
  cast(max(case when position = 1 then cast(utm as jsonb) ->> 'campaign' end) as text) as utm_campaign,
  cast(max(case when position = 1 then device_type end) as text) as device_type,
  cast(max(case when position = 1 then country end) as text) as country,
  cast(max(case when event_type = 'order_completed' and order_id is not null then 1 else 0 end) = 1 as boolean) as converted,
  cast(max(case when event_type = 'order_completed' then order_id end) as text) as order_id
from ordered
group by session_id
