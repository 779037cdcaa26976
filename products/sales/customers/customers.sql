-- Current customers, cleaned. The pipeline has applied the CDC log (one row per live customer); the window
-- below keeps that true even if a replayed change slipped through, and deletes are never published.
with latest as (
  select
    c.*,
    row_number() over (partition by c.customer_id order by c.lsn desc) as change_rank
  from {{ ref('sales.crm_customers', 'customers') }} as c
  where c.customer_id is not null
),
current_customers as (
  select
    customer_id,
    lower(trim(email)) as normalised_email,
    trim(first_name) as first_name,
    trim(last_name) as last_name,
    phone,
    birth_date,
    country,
    segment,
    marketing_opt_in,
    created_at,
    changed_at
  from latest
  where change_rank = 1 and op <> 'd'
)
select
  cast(customer_id as text) as customer_id,
  cast(case
    when normalised_email ~ '^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$' then normalised_email
  end as text) as email,
  cast(first_name as text) as first_name,
  cast(last_name as text) as last_name,
  cast(case when phone ~ '^\+[1-9][0-9]{6,14}$' then phone end as text) as phone,
  cast(extract(year from cast(birth_date as date)) as bigint) as birth_year,
  cast(coalesce(upper(country), 'ZZ') as text) as country,
  cast(case when lower(segment) = 'business' then 'business' else 'consumer' end as text) as segment,
  cast(marketing_opt_in as boolean) as marketing_opt_in,
  cast(created_at as timestamptz) as created_at,
  cast(changed_at as timestamptz) as updated_at
from current_customers
