import type { RepoFiles } from '../support/fixtureRepo.js';

/**
 * A small mesh with every kind of pipeline step, for the pipeline tests:
 *
 * - `shop.customers` (bronze, file): a CSV load with `;` and `NA` for null.
 * - `shop.orders` (bronze, file): a JSON-lines load.
 * - `shop.accounts` (silver, cdc): change events (CSV) applied by key in sequence order.
 * - `shop.revenue` (gold, elt): a SQL table joining orders and customers.
 * - `shop.open_orders` (gold, elt): a SQL view over orders.
 * - `shop.order_history` (silver, elt): an incremental table over orders, watermark `updated_at`, key `order_id`.
 */
export function pipelineRepo(overrides: RepoFiles = {}): RepoFiles {
  return { ...BASE, ...overrides };
}

const OWNER = '{ team: shop-data, email: shop-data@example.com }';

function manifest(id: string, layer: string, pattern: string, extra: string): string {
  const [domain, name] = id.split('.');
  return `apiVersion: mesh/v1
kind: DataProduct
id: ${id}
name: ${name}
domain: ${domain}
version: 1.0.0
status: active
description: The ${name} of the shop.
owner: ${OWNER}
layer: ${layer}
pattern: ${pattern}
${extra}`;
}

function contract(title: string, primaryKey: string[], properties: Record<string, object>, required: string[], extra: object = {}): string {
  return JSON.stringify(
    {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title,
      description: `One ${title.toLowerCase()}.`,
      'x-version': '1.0.0',
      'x-primary-key': primaryKey,
      type: 'object',
      additionalProperties: false,
      required,
      properties,
      ...extra,
    },
    null,
    2,
  );
}

export const CUSTOMERS_CSV = `customer_id;email;country;signed_up
C1;ann@example.com;DE;2026-01-05T10:00:00Z
C2;bob@example.com;FR;2026-01-06T11:30:00Z
C3;NA;DE;2026-02-01T09:00:00Z
`;

export const ORDERS_JSONL = [
  { order_id: 'O1', customer_id: 'C1', total: 10.5, status: 'open', updated_at: '2026-03-01T10:00:00Z' },
  { order_id: 'O2', customer_id: 'C1', total: 20, status: 'shipped', updated_at: '2026-03-02T10:00:00Z' },
  { order_id: 'O3', customer_id: 'C2', total: 7.25, status: 'open', updated_at: '2026-03-03T10:00:00Z' },
  { order_id: 'O4', customer_id: 'C3', total: 100, status: 'cancelled', updated_at: '2026-03-04T10:00:00Z' },
]
  .map((o) => JSON.stringify(o))
  .join('\n');

export const ACCOUNT_EVENTS_CSV = `op,lsn,account_id,owner,balance
c,1,A1,ann,100
c,2,A2,bob,50
u,3,A1,ann,150
c,4,A3,cy,10
d,5,A2,,
u,6,A3,cy,12
`;

const BASE: RepoFiles = {
  'contracts/shop/customers.schema.json': contract(
    'Customer',
    ['customer_id'],
    {
      customer_id: { description: 'Customer id.', type: 'string' },
      email: { description: 'Contact address.', type: ['string', 'null'], 'x-pii': true, 'x-classification': 'confidential' },
      country: { description: 'Country code.', type: 'string', pattern: '^[A-Z]{2}$' },
      signed_up: { description: 'When the customer signed up.', type: 'string', format: 'date-time' },
    },
    ['customer_id', 'country'],
  ),
  'contracts/shop/orders.schema.json': contract(
    'Order',
    ['order_id'],
    {
      order_id: { description: 'Order id.', type: 'string' },
      customer_id: { description: 'Who ordered.', type: 'string' },
      total: { description: 'Order total.', type: 'number', minimum: 0 },
      status: { description: 'Fulfilment state.', enum: ['open', 'shipped', 'cancelled'] },
      updated_at: { description: 'Last change.', type: 'string', format: 'date-time' },
    },
    ['order_id', 'customer_id', 'total', 'status', 'updated_at'],
  ),
  'contracts/shop/accounts.schema.json': contract(
    'Account',
    ['account_id'],
    {
      account_id: { description: 'Account id.', type: 'string' },
      owner: { description: 'Holder name.', type: 'string', 'x-pii': true, 'x-classification': 'internal' },
      balance: { description: 'Balance.', type: 'integer' },
    },
    ['account_id', 'owner', 'balance'],
  ),
  'contracts/shop/revenue.schema.json': contract(
    'Revenue',
    ['country'],
    {
      country: { description: 'Country code.', type: 'string' },
      orders: { description: 'Orders counted.', type: 'integer', minimum: 0 },
      revenue: { description: 'Sum of totals.', type: 'number', minimum: 0 },
    },
    ['country', 'orders', 'revenue'],
  ),
  'contracts/shop/open_orders.schema.json': contract(
    'OpenOrder',
    ['order_id'],
    {
      order_id: { description: 'Order id.', type: 'string' },
      total: { description: 'Order total.', type: 'number' },
    },
    ['order_id', 'total'],
  ),
  'contracts/shop/order_history.schema.json': contract(
    'OrderVersion',
    ['order_id'],
    {
      order_id: { description: 'Order id.', type: 'string' },
      status: { description: 'Fulfilment state.', type: 'string' },
      total: { description: 'Order total.', type: 'number' },
      updated_at: { description: 'Last change.', type: 'string', format: 'date-time' },
    },
    ['order_id', 'status', 'total', 'updated_at'],
  ),

  'products/shop/customers/product.yaml': manifest(
    'shop.customers',
    'bronze',
    'file',
    `outputs:
  - port: customers
    contract: contracts/shop/customers.schema.json
pipeline:
  retries: { attempts: 3, backoff: PT0.01S }
  steps:
    - port: customers
      load: { file: customers.csv, format: csv, delimiter: ";", nullValue: NA }
`,
  ),
  'products/shop/customers/customers.csv': CUSTOMERS_CSV,

  'products/shop/orders/product.yaml': manifest(
    'shop.orders',
    'bronze',
    'file',
    `outputs:
  - port: orders
    contract: contracts/shop/orders.schema.json
sla:
  completeness: 70
pipeline:
  retries: { attempts: 3, backoff: PT0.01S }
  steps:
    - port: orders
      load: { file: orders.jsonl, format: jsonl }
`,
  ),
  'products/shop/orders/orders.jsonl': ORDERS_JSONL,

  'products/shop/accounts/product.yaml': manifest(
    'shop.accounts',
    'silver',
    'cdc',
    `outputs:
  - port: accounts
    contract: contracts/shop/accounts.schema.json
pipeline:
  retries: { attempts: 3, backoff: PT0.01S }
  steps:
    - port: accounts
      load: { file: events.csv, format: csv, cdc: { operation: op, key: [account_id], sequence: lsn } }
`,
  ),
  'products/shop/accounts/events.csv': ACCOUNT_EVENTS_CSV,

  'products/shop/revenue/product.yaml': manifest(
    'shop.revenue',
    'gold',
    'elt',
    `inputs:
  - { product: shop.orders, port: orders }
  - { product: shop.customers, port: customers }
outputs:
  - port: revenue
    contract: contracts/shop/revenue.schema.json
quality:
  - { check: row_count, min: 1 }
pipeline:
  retries: { attempts: 3, backoff: PT0.01S }
  steps:
    - port: revenue
      sql: revenue.sql
`,
  ),
  'products/shop/revenue/revenue.sql': `-- Revenue per country, cancelled orders left out.
select c.country, count(*) as orders, sum(o.total) as revenue
from {{ ref('shop.orders', 'orders') }} o
join {{ ref('shop.customers', 'customers') }} c on c.customer_id = o.customer_id
where o.status <> 'cancelled'
group by c.country;
`,

  'products/shop/open_orders/product.yaml': manifest(
    'shop.open_orders',
    'gold',
    'elt',
    `inputs:
  - { product: shop.orders, port: orders }
outputs:
  - port: open_orders
    contract: contracts/shop/open_orders.schema.json
pipeline:
  steps:
    - port: open_orders
      query: "select order_id, total from {{ ref('shop.orders') }} where status = 'open'"
      materialized: view
`,
  ),

  'products/shop/order_history/product.yaml': manifest(
    'shop.order_history',
    'silver',
    'elt',
    `inputs:
  - { product: shop.orders, port: orders }
outputs:
  - port: order_history
    contract: contracts/shop/order_history.schema.json
pipeline:
  retries: { attempts: 3, backoff: PT0.01S }
  steps:
    - port: order_history
      query: "select order_id, status, total, updated_at from {{ ref('shop.orders', 'orders') }}"
      materialized: incremental
      watermark: updated_at
      uniqueKey: [order_id]
`,
  ),
};
