import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Files of a repository: repository-relative path -> content. */
export type RepoFiles = Record<string, string>;

/** Writes `files` under a new temporary folder and returns its path and a cleanup. */
export async function writeTempRepo(files: RepoFiles, prefix = 'mesh-repo-'): Promise<{ root: string; cleanup(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  await writeRepo(root, files);
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export async function writeRepo(root: string, files: RepoFiles): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/**
 * The orders manifest used by table-driven tests. Its line numbers are part of the tests' expectations:
 * edit it only together with them.
 */
export const ORDERS_MANIFEST = `apiVersion: mesh/v1
kind: DataProduct
id: sales.orders
name: Orders
domain: sales
version: 2.1.0
status: active
description: Confirmed customer orders, one row per order.
owner: { team: sales-analytics, email: sales-analytics@example.com }
tags: [orders, revenue]
layer: gold
pattern: elt
inputs:
  - { product: sales.customers, port: customers }
  - { dataset: { namespace: "postgres://crm:5432", name: crm.public.orders } }
outputs:
  - port: orders
    contract: contracts/sales/orders.schema.json
    compatibility: forward
    dataset: { namespace: "postgres://warehouse", name: gold.sales_orders }
sla:
  freshness: { max: PT24H, column: updated_at }
  availability: 99.5
  completeness: 99.0
quality:
  - { check: unique, field: order_id }
  - { check: accepted_values, field: status, values: [open, shipped, cancelled] }
  - { check: row_count, min: 1 }
  - { check: sql, name: no_negative_totals, query: "select count(*) from {table} where total < 0", mustBe: 0 }
pipeline:
  steps:
    - port: orders
      sql: orders.sql
      materialized: table
`;

export const CUSTOMERS_MANIFEST = `apiVersion: mesh/v1
kind: DataProduct
id: sales.customers
name: Customers
domain: sales
version: 1.0.0
status: active
description: Customers from the CRM, one row per customer.
owner: { team: sales-ops, email: sales-ops@example.com }
tags: [customers]
layer: silver
pattern: file
inputs:
  - { dataset: { namespace: "postgres://crm:5432", name: crm.public.customers } }
outputs:
  - port: customers
    contract: contracts/sales/customers.schema.json
sla:
  freshness: { max: P1D }
quality:
  - { check: not_null, field: email }
pipeline:
  steps:
    - port: customers
      load: { file: customers.csv, format: csv }
`;

export const CUSTOMERS_CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Customer',
  description: 'One customer.',
  'x-version': '1.0.0',
  'x-primary-key': ['customer_id'],
  type: 'object',
  required: ['customer_id', 'email'],
  properties: {
    customer_id: { description: 'CRM id.', type: 'string' },
    email: { description: 'Contact address.', type: 'string', format: 'email', 'x-pii': true, 'x-classification': 'confidential' },
    country: { $ref: '../common/types.schema.json#/$defs/country' },
  },
};

export const ORDERS_CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Order',
  description: 'One confirmed customer order.',
  'x-version': '2.1.0',
  'x-primary-key': ['order_id'],
  type: 'object',
  additionalProperties: false,
  required: ['order_id', 'customer_id', 'status', 'total', 'updated_at'],
  properties: {
    order_id: { description: 'Order number.', type: 'string', pattern: '^SO-[0-9]{6}$' },
    customer_id: { description: 'Who ordered.', type: 'string' },
    status: { description: 'Fulfilment state.', enum: ['open', 'shipped', 'cancelled'] },
    total: { description: 'Total with tax.', $ref: '../common/types.schema.json#/$defs/money' },
    updated_at: { description: 'Last change.', type: 'string', format: 'date-time' },
  },
};

export const COMMON_TYPES = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  description: 'Shared definitions.',
  $defs: {
    money: { description: 'An amount, two decimals.', type: 'number', multipleOf: 0.01, minimum: 0 },
    country: { description: 'ISO-3166 alpha-2 country code.', type: 'string', pattern: '^[A-Z]{2}$' },
  },
};

/** A small valid repository: two products in one domain, three contracts, pipeline files. */
export function validRepoFiles(): RepoFiles {
  return {
    'products/sales/orders/product.yaml': ORDERS_MANIFEST,
    'products/sales/orders/orders.sql': "select order_id, customer_id, status, total, updated_at from {{ ref('sales.customers', 'customers') }}\n",
    'products/sales/customers/product.yaml': CUSTOMERS_MANIFEST,
    'products/sales/customers/customers.csv': 'customer_id,email,country\nC-1,a@example.com,DE\n',
    'contracts/sales/orders.schema.json': JSON.stringify(ORDERS_CONTRACT, null, 2),
    'contracts/sales/customers.schema.json': JSON.stringify(CUSTOMERS_CONTRACT, null, 2),
    'contracts/common/types.schema.json': JSON.stringify(COMMON_TYPES, null, 2),
  };
}
