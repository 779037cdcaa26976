-- Order lines that pass validation, with their article and order context. An order counts only when its
-- header is valid (known status and currency, no negative amounts); a re-exported header is taken once.
with valid_orders as (
  select
    o.order_id,
    o.currency,
    o.ordered_at,
    o.updated_at,
    row_number() over (partition by o.order_id order by o.updated_at desc) as copy_rank
  from {{ ref('sales.shop_orders', 'orders') }} as o
  where o.status in ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')
    and o.currency in ('EUR', 'GBP', 'USD', 'CHF', 'SEK')
    and o.shipping_amount >= 0
    and o.discount_amount >= 0
),
valid_lines as (
  select
    l.*,
    row_number() over (partition by l.order_id, l.line_number order by l.updated_at desc) as copy_rank
  from {{ ref('sales.shop_orders', 'order_lines') }} as l
  where l.quantity between 1 and 100
    and l.unit_price >= 0
),
articles as (
  select p.sku, p.product_name, p.category
  from {{ ref('sales.product_catalog', 'products') }} as p
  where p.category in ('tents', 'sleeping_bags', 'backpacks', 'footwear', 'apparel', 'cooking', 'accessories')
)
select
  cast(l.order_id as text) as order_id,
  cast(l.line_number as bigint) as line_number,
  cast(l.sku as text) as sku,
  cast(a.product_name as text) as product_name,
  cast(a.category as text) as category,
  cast(l.quantity as bigint) as quantity,
  cast(l.unit_price as numeric(12, 2)) as unit_price,
  cast(l.quantity * l.unit_price as numeric(12, 2)) as line_amount,
  cast(l.tax_rate as numeric(6, 4)) as tax_rate,
  cast(o.currency as text) as currency,
  cast(o.ordered_at as timestamptz) as ordered_at,
  cast(greatest(l.updated_at, o.updated_at) as timestamptz) as updated_at
from valid_lines as l
join valid_orders as o on o.order_id = l.order_id and o.copy_rank = 1
join articles as a on a.sku = l.sku
where l.copy_rank = 1
