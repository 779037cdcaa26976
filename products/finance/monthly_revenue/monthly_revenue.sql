-- Revenue per month (of the booking day), shipping country and channel.
select
  cast(to_char(cast(r.revenue_date as date), 'YYYY-MM') as text) as month,
  cast(r.country as text) as country,
  cast(r.channel as text) as channel,
  cast(count(*) as bigint) as orders,
  cast(sum(r.gross_amount_eur) as numeric(14, 2)) as gross_amount_eur,
  cast(sum(r.refunded_amount_eur) as numeric(14, 2)) as refunded_amount_eur,
  cast(sum(r.net_amount_eur) as numeric(14, 2)) as net_amount_eur,
  cast(round(sum(r.gross_amount_eur) / count(*), 2) as numeric(12, 2)) as average_order_value_eur,
  cast(sum(r.fees_eur) as numeric(12, 2)) as fees_eur
from {{ ref('finance.revenue', 'revenue') }} as r
group by to_char(cast(r.revenue_date as date), 'YYYY-MM'), r.country, r.channel
