-- Revenue per confirmed order, converted at the rate of the order's day (UTC), reconciled with payments.
with orders as (
  select
    o.*,
    cast(cast(o.ordered_at as timestamptz) at time zone 'UTC' as date) as revenue_date
  from {{ ref('sales.orders', 'orders') }} as o
),
payments as (
  select
    p.order_id,
    sum(case when p.type = 'charge' and p.status = 'succeeded' then p.amount else 0 end) as charged,
    sum(case when p.type = 'refund' and p.status = 'succeeded' then -p.amount else 0 end) as refunded,
    sum(case when p.status = 'succeeded' then p.amount_eur else 0 end) as paid_eur,
    sum(p.fee_eur) as fees_eur,
    max(p.created_at) as last_payment_at
  from {{ ref('finance.payments', 'payments') }} as p
  group by p.order_id
),
booked as (
  select
    o.*,
    r.eur_per_unit,
    least(coalesce(p.refunded, 0), o.total_amount) as refunded_amount,
    coalesce(p.charged, 0) as charged,
    coalesce(p.paid_eur, 0) as paid_eur,
    coalesce(p.fees_eur, 0) as fees_eur,
    p.last_payment_at
  from orders as o
  join {{ ref('finance.fx_rates', 'fx_rates') }} as r
    on r.currency = o.currency and r.rate_date = o.revenue_date
  left join payments as p on p.order_id = o.order_id
)
select
  cast(order_id as text) as order_id,
  cast(customer_id as text) as customer_id,
  cast(revenue_date as date) as revenue_date,
  cast(shipping_country as text) as country,
  cast(channel as text) as channel,
  cast(currency as text) as currency,
  cast(total_amount as numeric(12, 2)) as gross_amount,
  cast(refunded_amount as numeric(12, 2)) as refunded_amount,
  cast(total_amount - refunded_amount as numeric(12, 2)) as net_amount,
  cast(eur_per_unit as numeric(14, 6)) as fx_rate,
  cast(round(total_amount * eur_per_unit, 2) as numeric(12, 2)) as gross_amount_eur,
  cast(round(refunded_amount * eur_per_unit, 2) as numeric(12, 2)) as refunded_amount_eur,
  cast(round(total_amount * eur_per_unit, 2) - round(refunded_amount * eur_per_unit, 2) as numeric(12, 2)) as net_amount_eur,
  cast(paid_eur as numeric(12, 2)) as paid_amount_eur,
  cast(fees_eur as numeric(12, 2)) as fees_eur,
  cast(case
    when charged = 0 then 'unpaid'
    when refunded_amount >= charged then 'refunded'
    when refunded_amount > 0 then 'partially_refunded'
    else 'paid'
  end as text) as payment_status,
  cast(greatest(updated_at, coalesce(last_payment_at, updated_at)) as timestamptz) as recognized_at
from booked
