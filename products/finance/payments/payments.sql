-- Deduplicated, validated transactions in euros. A replayed webhook counts once (its first delivery); a
-- transaction whose sign contradicts its type, or without a status, is left for finance to investigate.
with transactions as (
  select
    t.*,
    row_number() over (partition by t.transaction_id order by t.created_at) as delivery_rank
  from {{ ref('finance.psp_transactions', 'transactions') }} as t
  where t.type in ('charge', 'refund')
    and t.status in ('pending', 'succeeded', 'failed')
    and ((t.type = 'charge' and t.amount > 0) or (t.type = 'refund' and t.amount < 0))
    and t.fee >= 0
)
select
  cast(t.transaction_id as text) as transaction_id,
  cast(t.order_id as text) as order_id,
  cast(t.type as text) as type,
  cast(t.status as text) as status,
  cast(t.amount as numeric(12, 2)) as amount,
  cast(t.fee as numeric(12, 2)) as fee,
  cast(t.currency as text) as currency,
  cast(round(t.amount * r.eur_per_unit, 2) as numeric(12, 2)) as amount_eur,
  cast(round(t.fee * r.eur_per_unit, 2) as numeric(12, 2)) as fee_eur,
  cast(t.payment_method as text) as payment_method,
  cast(t.created_at as timestamptz) as created_at,
  cast(t.available_on as date) as available_on
from transactions as t
join {{ ref('finance.fx_rates', 'fx_rates') }} as r
  on r.currency = t.currency
  and r.rate_date = cast(cast(t.created_at as timestamptz) at time zone 'UTC' as date)
where t.delivery_rank = 1
