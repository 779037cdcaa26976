-- Campaigns with delivery to date. The APIs are pulled daily; a re-pulled day counts once (the latest pull),
-- and only euro rows are summed (the ad accounts bill in euros; the currency code's case varies).
with daily as (
  select
    s.*,
    row_number() over (
      partition by s.platform, s.platform_campaign_id, s.spend_date
      order by s.pulled_at desc
    ) as pull_rank
  from {{ ref('marketing.ad_spend', 'ad_spend') }} as s
  where upper(s.currency) = 'EUR'
),
delivery as (
  select
    platform,
    platform_campaign_id,
    sum(spend) as spend,
    sum(impressions) as impressions,
    sum(clicks) as clicks,
    max(spend_date) as last_spend_date,
    max(pulled_at) as last_pulled_at
  from daily
  where pull_rank = 1
  group by platform, platform_campaign_id
)
select
  cast(p.campaign_id as text) as campaign_id,
  cast(p.campaign_name as text) as campaign_name,
  cast(p.channel as text) as channel,
  cast(p.platform as text) as platform,
  cast(p.utm_campaign as text) as utm_campaign,
  cast(p.coupon_code as text) as coupon_code,
  cast(p.starts_on as date) as starts_on,
  cast(p.ends_on as date) as ends_on,
  cast(p.budget as numeric(12, 2)) as budget,
  cast(greatest(coalesce(d.spend, 0), 0) as numeric(12, 2)) as spend,
  cast(coalesce(d.impressions, 0) as bigint) as impressions,
  cast(coalesce(d.clicks, 0) as bigint) as clicks,
  cast(case
    when d.impressions > 0 then round(cast(least(d.clicks, d.impressions) as numeric) / d.impressions, 4)
  end as numeric(6, 4)) as ctr,
  cast(case when p.budget > 0 then round(greatest(coalesce(d.spend, 0), 0) / p.budget, 4) end as numeric(10, 4)) as budget_used,
  cast('EUR' as text) as currency,
  cast(d.last_spend_date as date) as last_spend_date,
  cast(greatest(p.updated_at, coalesce(d.last_pulled_at, p.updated_at)) as timestamptz) as updated_at
from {{ ref('marketing.campaign_plan', 'campaigns') }} as p
left join delivery as d
  on d.platform = p.platform and d.platform_campaign_id = p.platform_campaign_id
