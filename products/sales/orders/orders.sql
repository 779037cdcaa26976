-- Confirmed orders with amounts from their validated items. Orders whose header fails validation, or that have
-- no valid item left, are not published; a re-exported header is taken once.
with confirmed as (
  select
    o.*,
    row_number() over (partition by o.order_id order by o.updated_at desc) as copy_rank
  from {{ ref('sales.shop_orders', 'orders') }} as o
  where o.status in ('paid', 'shipped', 'delivered', 'returned')
    and o.shipping_amount >= 0
    and o.discount_amount >= 0
),
items as (
  select
    i.order_id,
    sum(i.quantity) as items_count,
    sum(i.line_amount) as items_amount,
    max(i.updated_at) as updated_at
  from {{ ref('sales.order_items', 'order_items') }} as i
  group by i.order_id
)
select
  cast(o.order_id as text) as order_id,
  cast(o.customer_id as text) as customer_id,
  cast(c.email as text) as customer_email,
  cast(o.status as text) as status,
  cast(o.channel as text) as channel,
  cast(o.currency as text) as currency,
  cast(o.shipping_country as text) as shipping_country,
  cast(i.items_count as bigint) as items_count,
  cast(i.items_amount as numeric(12, 2)) as items_amount,
  cast(o.discount_amount as numeric(12, 2)) as discount_amount,
  cast(o.shipping_amount as numeric(12, 2)) as shipping_amount,
  cast(i.items_amount - o.discount_amount + o.shipping_amount as numeric(12, 2)) as total_amount,
  cast(o.coupon_code as text) as coupon_code,
  cast(o.ordered_at as timestamptz) as ordered_at,
  cast(greatest(o.updated_at, i.updated_at) as timestamptz) as updated_at
from confirmed as o
join items as i on i.order_id = o.order_id
join {{ ref('sales.customers', 'customers') }} as c on c.customer_id = o.customer_id
where o.copy_rank = 1
  and i.items_amount - o.discount_amount + o.shipping_amount >= 0
