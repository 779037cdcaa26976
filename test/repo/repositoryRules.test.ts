import { describe, expect, it } from 'vitest';
import { CUSTOMERS_MANIFEST, ORDERS_MANIFEST, validRepoFiles, type RepoFiles } from '../support/fixtureRepo.js';
import { replaceLine, summarize, validateFiles } from '../support/validateRepo.js';

const ORDERS = 'products/sales/orders/product.yaml';
const CUSTOMERS = 'products/sales/customers/product.yaml';

interface Case {
  readonly name: string;
  readonly edit: (files: RepoFiles) => void;
  /** Every error expected, in report order. */
  readonly errors: readonly { code: string; file: string; line: number; pointer: string }[];
  /** Warnings expected (codes only). */
  readonly warnings?: readonly string[];
}

const editOrders = (line: number, text: string | null) => (files: RepoFiles) => {
  files[ORDERS] = replaceLine(files[ORDERS]!, line, text);
};
const editCustomers = (line: number, text: string | null) => (files: RepoFiles) => {
  files[CUSTOMERS] = replaceLine(files[CUSTOMERS]!, line, text);
};

// Each case breaks one repository rule in an otherwise valid repository.
const CASES: readonly Case[] = [
  {
    name: 'id does not match the folder',
    edit: editOrders(3, 'id: sales.order'),
    errors: [{ code: 'PRODUCT_FOLDER_MISMATCH', file: ORDERS, line: 3, pointer: '/id' }],
  },
  {
    name: 'domain does not match the folder',
    edit: editOrders(5, 'domain: marketing'),
    errors: [{ code: 'PRODUCT_FOLDER_MISMATCH', file: ORDERS, line: 5, pointer: '/domain' }],
  },
  {
    name: 'input names an unknown product',
    edit: editOrders(14, '  - { product: sales.customer, port: customers }'),
    errors: [
      { code: 'INPUT_PRODUCT_UNKNOWN', file: ORDERS, line: 14, pointer: '/inputs/0/product' },
      { code: 'PIPELINE_REF_UNKNOWN', file: ORDERS, line: 33, pointer: '/pipeline/steps/0/sql' },
    ],
  },
  {
    name: 'input names an unknown port',
    edit: editOrders(14, '  - { product: sales.customers, port: clients }'),
    errors: [
      { code: 'INPUT_PORT_UNKNOWN', file: ORDERS, line: 14, pointer: '/inputs/0/port' },
      { code: 'PIPELINE_REF_UNKNOWN', file: ORDERS, line: 33, pointer: '/pipeline/steps/0/sql' },
    ],
  },
  {
    name: 'a product reads itself',
    edit: (files) => {
      files[ORDERS] = replaceLine(files[ORDERS]!, 15, '  - { product: sales.orders, port: orders }');
    },
    errors: [{ code: 'INPUT_SELF', file: ORDERS, line: 15, pointer: '/inputs/1/product' }],
  },
  {
    name: 'dependency cycle',
    edit: editCustomers(14, '  - { product: sales.orders, port: orders }'),
    errors: [{ code: 'PRODUCT_CYCLE', file: CUSTOMERS, line: 14, pointer: '/inputs/0/product' }],
  },
  {
    name: 'contract file missing',
    edit: editOrders(18, '    contract: contracts/sales/order.schema.json'),
    errors: [{ code: 'CONTRACT_FILE_MISSING', file: ORDERS, line: 18, pointer: '/outputs/0/contract' }],
    warnings: ['CONTRACT_UNUSED'],
  },
  {
    name: 'contract file invalid',
    edit: (files) => {
      files['contracts/sales/orders.schema.json'] = files['contracts/sales/orders.schema.json']!.replace('"type": "string"', '"type": "strin"');
    },
    errors: [
      { code: 'CONTRACT_SCHEMA_INVALID', file: 'contracts/sales/orders.schema.json', line: 21, pointer: '/properties/order_id/type' },
      { code: 'CONTRACT_FILE_INVALID', file: ORDERS, line: 18, pointer: '/outputs/0/contract' },
    ],
  },
  {
    name: 'owner missing',
    edit: editOrders(9, null),
    errors: [{ code: 'OWNER_MISSING', file: ORDERS, line: 1, pointer: '/owner' }],
  },
  {
    name: 'deprecated without sunset',
    edit: editOrders(7, 'status: deprecated'),
    errors: [{ code: 'DEPRECATED_WITHOUT_SUNSET', file: ORDERS, line: 7, pointer: '/status' }],
  },
  {
    name: 'consumer of a retired product',
    edit: editCustomers(7, 'status: retired'),
    errors: [{ code: 'RETIRED_HAS_CONSUMERS', file: ORDERS, line: 14, pointer: '/inputs/0/product' }],
  },
  {
    name: 'consumer of a deprecated product (warning)',
    edit: (files) => {
      files[CUSTOMERS] = replaceLine(files[CUSTOMERS]!, 7, 'status: deprecated\nsunset: 2027-06-30');
    },
    errors: [],
    warnings: ['CONSUMES_DEPRECATED'],
  },
  {
    name: 'duplicate id',
    edit: (files) => {
      files['products/sales/orders_copy/product.yaml'] = ORDERS_MANIFEST;
      files['products/sales/orders_copy/orders.sql'] = files['products/sales/orders/orders.sql']!;
    },
    errors: [{ code: 'PRODUCT_ID_DUPLICATE', file: 'products/sales/orders_copy/product.yaml', line: 3, pointer: '/id' }],
  },
  {
    name: 'duplicate port',
    edit: editOrders(20, '    dataset: { namespace: "postgres://warehouse", name: gold.sales_orders }\n  - port: orders\n    contract: contracts/sales/orders.schema.json'),
    errors: [{ code: 'PORT_DUPLICATE', file: ORDERS, line: 21, pointer: '/outputs/1/port' }],
  },
  {
    name: 'two products build one table',
    edit: (files) => {
      files[CUSTOMERS] = replaceLine(files[CUSTOMERS]!, 17, '    contract: contracts/sales/customers.schema.json\n    dataset: { namespace: "postgres://warehouse", name: gold.sales_orders }');
    },
    errors: [{ code: 'TABLE_COLLISION', file: ORDERS, line: 20, pointer: '/outputs/0/dataset/name' }],
  },
  {
    name: 'quality check names an unknown field',
    edit: editOrders(26, '  - { check: unique, field: order_no }'),
    errors: [{ code: 'QUALITY_FIELD_UNKNOWN', file: ORDERS, line: 26, pointer: '/quality/0/field' }],
  },
  {
    name: 'freshness column unknown',
    edit: editOrders(22, '  freshness: { max: PT24H, column: modified_at }'),
    errors: [{ code: 'SLA_COLUMN_UNKNOWN', file: ORDERS, line: 22, pointer: '/sla/freshness/column' }],
  },
  {
    name: 'pipeline SQL file missing',
    edit: editOrders(33, '      sql: order.sql'),
    errors: [{ code: 'PIPELINE_FILE_MISSING', file: ORDERS, line: 33, pointer: '/pipeline/steps/0/sql' }],
  },
  {
    name: 'pipeline step for an unknown port',
    edit: editOrders(32, '    - port: order'),
    errors: [{ code: 'PIPELINE_PORT_UNKNOWN', file: ORDERS, line: 32, pointer: '/pipeline/steps/0/port' }],
  },
  {
    name: 'SQL reads an undeclared input',
    edit: (files) => {
      files['products/sales/orders/orders.sql'] = "select * from {{ ref('finance.ledger', 'entries') }}\n";
    },
    errors: [{ code: 'PIPELINE_REF_UNKNOWN', file: ORDERS, line: 33, pointer: '/pipeline/steps/0/sql' }],
  },
  {
    name: 'input reads a field the upstream contract lacks',
    edit: editOrders(14, '  - { product: sales.customers, port: customers, fields: [customer_id, phone] }'),
    errors: [{ code: 'QUALITY_FIELD_UNKNOWN', file: ORDERS, line: 14, pointer: '/inputs/0/fields/1' }],
  },
  {
    name: 'manifest outside the layout',
    edit: (files) => {
      files['products/sales/product.yaml'] = CUSTOMERS_MANIFEST;
    },
    errors: [{ code: 'PRODUCT_OUTSIDE_LAYOUT', file: 'products/sales/product.yaml', line: 1, pointer: '' }],
  },
];

describe('repository rules: one broken rule per case', () => {
  it('the base repository has no problem at all', async () => {
    expect(await validateFiles(validRepoFiles())).toEqual([]);
  });

  it.each(CASES)('$name', async (c) => {
    const files = validRepoFiles();
    c.edit(files);
    const problems = await validateFiles(files);
    const errors = summarize(problems.filter((p) => p.severity === 'error'));
    expect(errors).toEqual(c.errors);
    expect(problems.filter((p) => p.severity === 'warning').map((p) => p.code)).toEqual(c.warnings ?? []);
  });

  it('reports every fault of a repository in one run', async () => {
    const files = validRepoFiles();
    for (const c of [CASES[0]!, CASES[6]!, CASES[9]!, CASES[14]!]) c.edit(files);
    files['products/sales/customers/product.yaml'] = replaceLine(CUSTOMERS_MANIFEST, 11, 'layer: platinum');
    const codes = (await validateFiles(files)).filter((p) => p.severity === 'error').map((p) => `${p.file}:${p.line} ${p.code}`);
    expect(codes).toEqual([
      `${CUSTOMERS}:11 MANIFEST_VALUE_NOT_ALLOWED`,
      `${ORDERS}:3 PRODUCT_FOLDER_MISMATCH`,
      `${ORDERS}:7 DEPRECATED_WITHOUT_SUNSET`,
      `${ORDERS}:18 CONTRACT_FILE_MISSING`,
    ]);
  });
});
