-- One rate per calendar day and currency, carried forward over days without a publication.
with recursive published as (
  select
    cast(r.rate_date as date) as rate_date,
    r.quote_currency as currency,
    r.rate,
    row_number() over (partition by r.rate_date, r.quote_currency order by r.pulled_at desc) as pull_rank
  from {{ ref('finance.ecb_fx_rates', 'rates') }} as r
  where r.base_currency = 'EUR'
    and r.rate > 0
),
latest as (
  select rate_date, currency, rate from published where pull_rank = 1
),
calendar (calendar_day, last_day) as (
  select min(rate_date), max(rate_date) from latest
  union all
  select cast(calendar_day + interval '1' day as date), last_day from calendar where calendar_day < last_day
),
currencies as (
  select distinct currency from latest
),
filled as (
  -- The last publication on or before each day: dates only grow, so a running max carries it forward.
  select
    d.calendar_day,
    k.currency,
    max(l.rate_date) over (partition by k.currency order by d.calendar_day rows between unbounded preceding and current row) as source_date
  from calendar as d
  cross join currencies as k
  left join latest as l on l.currency = k.currency and l.rate_date = d.calendar_day
)
select
  cast(f.calendar_day as date) as rate_date,
  cast(f.currency as text) as currency,
  cast(l.rate as numeric(14, 6)) as units_per_eur,
  cast(round(1 / l.rate, 6) as numeric(14, 6)) as eur_per_unit,
  cast(f.source_date = f.calendar_day as boolean) as published,
  cast(f.source_date as date) as source_date
from filled as f
join latest as l on l.currency = f.currency and l.rate_date = f.source_date
union all
select
  cast(d.calendar_day as date) as rate_date,
  cast('EUR' as text) as currency,
  cast(1 as numeric(14, 6)) as units_per_eur,
  cast(1 as numeric(14, 6)) as eur_per_unit,
  cast(true as boolean) as published,
  cast(d.calendar_day as date) as source_date
from calendar as d
