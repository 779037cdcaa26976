import { describe, expect, it } from 'vitest';
import { columnLineageOf, type ColumnLineage, type ColumnTransformation } from '../../platform/pipeline/columnLineage.js';

const FIELDS: Record<string, string[]> = {
  'sales.orders/orders': ['order_id', 'customer_id', 'total', 'status', 'updated_at', 'year'],
  'sales.customers/customers': ['customer_id', 'email', 'country'],
};
const lineage = (sql: string) =>
  columnLineageOf(
    sql,
    (product, port) => new Set(FIELDS[`${product}/${port}`] ?? []),
    (product) => (product === 'sales.orders' ? 'orders' : product === 'sales.customers' ? 'customers' : undefined),
  );
const O = (field: string, transformation: ColumnTransformation = 'IDENTITY') => ({ product: 'sales.orders', port: 'orders', field, transformation });
const C = (field: string, transformation: ColumnTransformation = 'IDENTITY') => ({ product: 'sales.customers', port: 'customers', field, transformation });

const ORDERS = "{{ ref('sales.orders', 'orders') }}";
const CUSTOMERS = "{{ ref('sales.customers') }}";

describe('column lineage from the SELECT list', () => {
  it.each<{ name: string; sql: string; expected: ColumnLineage }>([
    { name: 'plain columns pass through', sql: `select order_id, total from ${ORDERS}`, expected: { order_id: [O('order_id')], total: [O('total')] } },
    { name: 'aliases rename, with or without AS', sql: `select order_id as id, o.total amount from ${ORDERS} o`, expected: { id: [O('order_id')], amount: [O('total')] } },
    { name: 'casts transform and keep the name', sql: `select total::numeric(12, 2) from ${ORDERS}`, expected: { total: [O('total', 'TRANSFORMATION')] } },
    { name: 'a cast with an alias', sql: `select o.total::int t from ${ORDERS} o`, expected: { t: [O('total', 'TRANSFORMATION')] } },
    {
      name: 'expressions and aggregates, joins resolved by alias and by unique name',
      sql: `-- revenue per country\nselect c.country, sum(o.total) as revenue, count(*) as orders, max(updated_at) last_update, upper(email) as "Email"\nfrom ${ORDERS} as o\njoin ${CUSTOMERS} c on o.customer_id = lower(c.customer_id)\nwhere o.status <> 'cancelled'\ngroup by c.country;`,
      expected: { country: [C('country')], revenue: [O('total', 'AGGREGATION')], last_update: [O('updated_at', 'AGGREGATION')], Email: [C('email', 'TRANSFORMATION')] },
    },
    { name: 'a name in both inputs is not guessed', sql: `select customer_id, email from ${ORDERS} o join ${CUSTOMERS} c using (customer_id)`, expected: { email: [C('email')] } },
    { name: 'star and alias-star', sql: `select c.*, o.total from ${ORDERS} o, ${CUSTOMERS} c`, expected: { customer_id: [C('customer_id')], email: [C('email')], country: [C('country')], total: [O('total')] } },
    {
      name: 'CASE, strings with keywords, extract',
      sql: `select case when status = 'from where' then total else 0 end as shown, extract(year from updated_at) as y, year from ${ORDERS}`,
      expected: { shown: [O('status', 'TRANSFORMATION'), O('total', 'TRANSFORMATION')], y: [O('updated_at', 'TRANSFORMATION')], year: [O('year')] },
    },
    { name: 'DISTINCT ON', sql: `select distinct on (customer_id) customer_id, total from ${ORDERS} order by customer_id, updated_at desc`, expected: { customer_id: [O('customer_id')], total: [O('total')] } },
    { name: 'within group stays in the select list', sql: `select percentile_cont(0.5) within group (order by total) as median from ${ORDERS}`, expected: { median: [O('total', 'AGGREGATION')] } },
  ])('$name', ({ sql, expected }: { sql: string; expected: ColumnLineage }) => {
    expect(lineage(sql)).toEqual(expected);
  });

  it.each([
    ['a WITH clause', `with x as (select * from ${ORDERS}) select * from x`],
    ['a UNION', `select order_id from ${ORDERS} union all select customer_id from ${CUSTOMERS}`],
    ['a subquery input', `select a.order_id from (select * from ${ORDERS}) a`],
    ['a table not named by ref', `select order_id from ${ORDERS} o join public.other x on x.id = o.order_id`],
    ['column aliases on an input', `select a from ${ORDERS} o(a, b)`],
    ['an unterminated string', `select 'oops from ${ORDERS}`],
  ])('gives up on %s', (_name, sql) => {
    expect(lineage(sql)).toBeUndefined();
  });
});
