import type { RepoFiles } from './fixtureRepo.js';

/**
 * A repository for data tests: `shop.customers` and `shop.orders`, whose `orders` contract has twelve
 * fields of every kind a contract checks (pattern, lengths, enum, money with multipleOf, integer bounds,
 * email, date-times, booleans, nullable fields). The quality suites and the benchmarks share it.
 */
export const ORDERS_CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Order',
  description: 'One customer order.',
  'x-version': '1.0.0',
  'x-primary-key': ['order_id'],
  type: 'object',
  additionalProperties: false,
  required: ['order_id', 'customer_id', 'status', 'total', 'quantity', 'currency', 'ordered_at', 'updated_at', 'country', 'gift'],
  properties: {
    order_id: { description: 'Order number.', type: 'string', pattern: '^SO-[0-9]{6,8}$' },
    customer_id: { description: 'Customer who ordered.', type: 'string', minLength: 1, maxLength: 32 },
    status: { description: 'Fulfilment state.', enum: ['open', 'shipped', 'cancelled', 'returned'] },
    total: { description: 'Order total.', $ref: '../common/types.schema.json#/$defs/money', minimum: 0 },
    quantity: { description: 'Items ordered.', type: 'integer', minimum: 1, maximum: 1000 },
    currency: { $ref: '../common/types.schema.json#/$defs/currency' },
    customer_email: { description: 'Confirmation address.', type: ['string', 'null'], format: 'email', 'x-pii': true, 'x-classification': 'confidential' },
    ordered_at: { description: 'When the order was placed.', $ref: '../common/types.schema.json#/$defs/timestamp' },
    updated_at: { description: 'Last change.', $ref: '../common/types.schema.json#/$defs/timestamp' },
    country: { description: 'ISO country code.', type: 'string', minLength: 2, maxLength: 2 },
    discount: { description: 'Share taken off.', type: ['number', 'null'], minimum: 0, maximum: 1 },
    gift: { description: 'Whether the order is a gift.', type: 'boolean' },
  },
} as const;

export const ORDER_FIELDS = Object.keys(ORDERS_CONTRACT.properties);

const COMMON_TYPES = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Common types',
  description: 'Shared definitions.',
  $defs: {
    currency: { description: 'ISO-4217 currency code.', type: 'string', pattern: '^[A-Z]{3}$' },
    money: { description: 'An amount with two decimals.', type: 'number', multipleOf: 0.01 },
    timestamp: { description: 'An instant, RFC 3339.', type: 'string', format: 'date-time' },
  },
};

const CUSTOMERS_CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Customer',
  description: 'One customer.',
  'x-version': '1.0.0',
  'x-primary-key': ['customer_id'],
  type: 'object',
  additionalProperties: false,
  required: ['customer_id'],
  properties: {
    customer_id: { description: 'Customer id.', type: 'string' },
    name: { description: 'Display name.', type: 'string', 'x-pii': true, 'x-classification': 'confidential' },
  },
};

export const CUSTOMERS_MANIFEST = `apiVersion: mesh/v1
kind: DataProduct
id: shop.customers
name: Customers
domain: shop
version: 1.0.0
status: active
description: Every customer.
owner: { team: shop, email: shop@example.com }
layer: silver
pattern: file
outputs:
  - port: customers
    contract: contracts/shop/customers.schema.json
    dataset: { namespace: "postgres://warehouse", name: silver.shop_customers }
`;

/** The orders manifest; `extra` lines are appended (more checks, scoring). */
export function ordersManifest(extra = ''): string {
  return `apiVersion: mesh/v1
kind: DataProduct
id: shop.orders
name: Orders
domain: shop
version: 1.0.0
status: active
description: Customer orders, one row per order.
owner: { team: shop, email: shop@example.com }
layer: gold
pattern: file
inputs:
  - { product: shop.customers, port: customers }
outputs:
  - port: orders
    contract: contracts/shop/orders.schema.json
    dataset: { namespace: "postgres://warehouse", name: gold.shop_orders }
sla:
  freshness: { max: PT24H, column: updated_at }
  availability: 99
  completeness: 90
quality:
  - { check: unique, field: order_id }
  - { check: not_null, field: customer_id }
  - { check: accepted_values, field: status, values: [open, shipped, cancelled] }
  - { check: range, field: quantity, min: 1, max: 100, severity: warn }
  - { check: row_count, min: 1 }
  - { check: relationships, field: customer_id, to: { product: shop.customers, port: customers, field: customer_id } }
  - { check: sql, name: no_negative_totals, query: "select count(*) from {table} where total < 0", mustBe: 0 }
${extra}`;
}

export function qualityRepoFiles(options: { ordersManifest?: string; ordersContract?: object } = {}): RepoFiles {
  return {
    'contracts/common/types.schema.json': JSON.stringify(COMMON_TYPES, null, 2),
    'contracts/shop/orders.schema.json': JSON.stringify(options.ordersContract ?? ORDERS_CONTRACT, null, 2),
    'contracts/shop/customers.schema.json': JSON.stringify(CUSTOMERS_CONTRACT, null, 2),
    'products/shop/customers/product.yaml': CUSTOMERS_MANIFEST,
    'products/shop/orders/product.yaml': options.ordersManifest ?? ordersManifest(),
  };
}

/** A clean order; `i` makes it unique. */
export function cleanOrder(i: number): Record<string, unknown> {
  return {
    order_id: `SO-${String(i).padStart(6, '0')}`,
    customer_id: `C-${i % 5}`,
    status: ['open', 'shipped', 'cancelled'][i % 3],
    total: Number(((i * 7.13) % 500).toFixed(2)),
    quantity: 1 + (i % 9),
    currency: 'EUR',
    customer_email: i % 4 === 0 ? null : `user${i}@example.com`,
    ordered_at: `2026-11-01T${String(i % 24).padStart(2, '0')}:00:00Z`,
    updated_at: `2026-11-01T${String(i % 24).padStart(2, '0')}:30:00Z`,
    country: 'DE',
    discount: i % 3 === 0 ? null : 0.25,
    gift: i % 2 === 0,
  };
}

/** Customer ids that exist upstream. */
export const CUSTOMER_IDS = ['C-0', 'C-1', 'C-2', 'C-3', 'C-4'];

/**
 * Twelve clean orders, then one planted fault per record. `invalid` says whether the contract rejects it
 * and `errors` which instance paths its dead letter must name; `checks` which manifest checks it trips.
 */
export function plantedOrders(): { record: Record<string, unknown>; invalid: boolean; errors: string[]; fault: string }[] {
  const rows: { record: Record<string, unknown>; invalid: boolean; errors: string[]; fault: string }[] = [];
  for (let i = 1; i <= 12; i++) rows.push({ record: cleanOrder(i), invalid: false, errors: [], fault: 'clean' });
  const fault = (i: number, fault: string, change: Record<string, unknown>, errors: string[]) =>
    rows.push({ record: { ...cleanOrder(i), ...change }, invalid: errors.length > 0, errors, fault });
  fault(13, 'null customer', { customer_id: null }, ['/customer_id']);
  fault(14, 'duplicate key', { order_id: 'SO-000001' }, []);
  fault(15, 'wrong type', { quantity: 2.5 }, ['/quantity']);
  fault(16, 'value outside the enum', { status: 'lost' }, ['/status']);
  fault(17, 'malformed email', { customer_email: 'not-an-email' }, ['/customer_email']);
  fault(18, 'negative amount', { total: -5 }, ['/total']);
  fault(19, 'returned: valid, not accepted by the check', { status: 'returned' }, []);
  fault(20, 'unknown customer', { customer_id: 'C-999' }, []);
  fault(21, 'quantity over the warn range', { quantity: 500 }, []);
  fault(22, 'bad order id and cents', { order_id: 'SO-12', total: 10.555 }, ['/order_id', '/total']);
  return rows;
}

/**
 * Writes `count` orders as JSON lines, in 4 MiB writes; every `invalidEvery`-th one has a negative total.
 * Records numbered from `start` are spread over five years and a thousand customers; keys and emails are
 * distinct below 100,000,000 records. `append` adds to the file.
 */
export async function writeOrdersFile(path: string, count: number, invalidEvery = 1000, start = 0, append = false): Promise<number> {
  const { open } = await import('node:fs/promises');
  const file = await open(path, append ? 'a' : 'w');
  let bytes = 0;
  try {
    let chunk: string[] = [];
    let size = 0;
    for (let i = start; i < start + count; i++) {
      const t = new Date(Date.UTC(2022, 0, 1) + (i % 157_000_000) * 1000).toISOString().replace('.000Z', 'Z');
      const line = JSON.stringify({
        order_id: `SO-${String(i % 100_000_000).padStart(8, '0')}`,
        customer_id: `C-${i % 1000}`,
        status: ['open', 'shipped', 'cancelled', 'returned'][i % 4],
        total: i % invalidEvery === 0 ? -1 : Number(((i * 7.13) % 5000).toFixed(2)),
        quantity: 1 + (i % 20),
        currency: 'EUR',
        customer_email: i % 10 === 0 ? null : `customer${i}@example.com`,
        ordered_at: t,
        updated_at: t,
        country: 'DE',
        discount: i % 3 === 0 ? null : 0.15,
        gift: i % 2 === 0,
      });
      chunk.push(line);
      size += line.length + 1;
      if (size >= 4 << 20) {
        const text = chunk.join('\n') + '\n';
        await file.write(text);
        bytes += Buffer.byteLength(text);
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length) {
      const text = chunk.join('\n') + '\n';
      await file.write(text);
      bytes += Buffer.byteLength(text);
    }
  } finally {
    await file.close();
  }
  return bytes;
}
