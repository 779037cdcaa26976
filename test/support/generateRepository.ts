import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface GeneratedRepository {
  readonly root: string;
  readonly products: number;
  readonly contracts: number;
  /** Product ids in generation order (producers before consumers). */
  readonly ids: string[];
}

const DOMAINS = ['sales', 'marketing', 'finance', 'logistics', 'support', 'hr', 'product', 'risk'];

/**
 * Writes a synthetic but realistic repository: `count` products over eight domains, each with one output port, a
 * 15-field contract (one field and the bounds its own) that references shared definitions, quality checks, an SLA, and inputs from up to two earlier
 * products (some across domains), so that the graph is deep and wide. Deterministic for a given count.
 */
export async function generateRepository(root: string, count: number): Promise<GeneratedRepository> {
  const ids: string[] = [];
  await mkdir(join(root, 'contracts', 'common'), { recursive: true });
  await writeFile(join(root, 'contracts', 'common', 'types.schema.json'), JSON.stringify(COMMON_TYPES, null, 2));
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length]!;
    const name = `product_${String(i).padStart(5, '0')}`;
    const id = `${domain}.${name}`;
    const inputs = [i - 1, i - 7].filter((j) => j >= 0).map((j) => ids[j]!);
    ids.push(id);
    const dir = join(root, 'products', domain, name);
    const contractFile = `contracts/${domain}/${name}.schema.json`;
    pending.push(
      (async () => {
        await mkdir(dir, { recursive: true });
        await mkdir(join(root, 'contracts', domain), { recursive: true });
        await writeFile(join(dir, 'product.yaml'), manifest(id, domain, name, i, inputs, contractFile));
        await writeFile(join(dir, 'transform.sql'), `select * from ${inputs.length ? `{{ ref('${inputs[0]}', 'records') }}` : 'source'}\n`);
        await writeFile(join(root, contractFile), JSON.stringify(contract(name, i), null, 2));
      })(),
    );
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return { root, products: count, contracts: count + 1, ids };
}

function manifest(id: string, domain: string, name: string, i: number, inputs: string[], contractFile: string): string {
  const layer = inputs.length === 0 ? 'bronze' : i % 3 === 0 ? 'gold' : 'silver';
  return `apiVersion: mesh/v1
kind: DataProduct
id: ${id}
name: Product ${i}
domain: ${domain}
version: 1.${i % 10}.0
status: active
description: Generated product number ${i} of the ${domain} domain, one row per record.
owner: { team: ${domain}-team-${i % 5}, email: ${domain}-team-${i % 5}@example.com }
tags: [generated, ${domain}, tier-${i % 4}]
layer: ${layer}
pattern: ${inputs.length === 0 ? 'file' : 'elt'}
inputs:
${inputs.length === 0 ? `  - { dataset: { namespace: "postgres://source-${i % 10}:5432", name: src.public.table_${i} } }` : inputs.map((input) => `  - { product: ${input}, port: records, fields: [record_id, amount] }`).join('\n')}
outputs:
  - port: records
    contract: ${contractFile}
    compatibility: forward
    dataset: { namespace: "postgres://warehouse", name: ${layer}.${domain}_${name} }
sla:
  freshness: { max: PT${(i % 48) + 1}H, column: updated_at }
  availability: 99.${i % 10}
  completeness: 98.5
quality:
  - { check: unique, field: record_id }
  - { check: not_null, field: customer_id }
  - { check: accepted_values, field: status, values: [new, active, closed] }
  - { check: range, field: amount, min: 0 }
  - { check: row_count, min: 1 }
pipeline:
  steps:
    - port: records
      sql: transform.sql
      materialized: ${i % 2 === 0 ? 'table' : 'incremental'}
${i % 2 === 0 ? '' : '      watermark: updated_at\n      uniqueKey: [record_id]\n'}`;
}

function contract(name: string, i: number): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `Record of ${name}`,
    description: `One record of generated product ${i}.`,
    'x-version': `1.${i % 10}.0`,
    'x-primary-key': ['record_id'],
    'x-classification': 'internal',
    type: 'object',
    additionalProperties: false,
    required: ['record_id', 'customer_id', 'status', 'amount', 'currency', 'updated_at'],
    properties: {
      record_id: { description: 'Record identifier.', type: 'string', pattern: '^R-[0-9]{8}$' },
      customer_id: { description: 'Customer the record belongs to.', type: 'string', minLength: 1, maxLength: 64 },
      status: { description: 'Lifecycle state.', enum: ['new', 'active', 'closed'] },
      amount: { description: 'Amount in the record currency.', $ref: '../common/types.schema.json#/$defs/money' },
      currency: { description: 'Currency of the amount.', $ref: '../common/types.schema.json#/$defs/currency' },
      // Bounds and one field of its own differ per product, as real contracts do: no two compile alike.
      quantity: { description: 'Units.', type: 'integer', minimum: 0, maximum: 1000000 + i },
      [`${name}_ref`]: { description: `Reference into ${name}'s source system.`, type: ['string', 'null'], maxLength: 16 + (i % 240) },
      discount: { description: 'Discount rate.', type: ['number', 'null'], minimum: 0, maximum: 1 },
      channel: { description: 'Sales channel.', type: 'string', enum: ['web', 'store', 'partner'] },
      contact_email: { description: 'Contact address.', type: ['string', 'null'], format: 'email', 'x-pii': true, 'x-classification': 'confidential' },
      country: { description: 'Country code.', type: 'string', pattern: '^[A-Z]{2}$' },
      notes: { description: 'Free text.', type: ['string', 'null'], maxLength: 2000 },
      tags: { description: 'Labels.', type: 'array', items: { type: 'string' }, maxItems: 20, uniqueItems: true },
      created_at: { description: 'Creation time.', $ref: '../common/types.schema.json#/$defs/timestamp' },
      updated_at: { description: 'Last change.', $ref: '../common/types.schema.json#/$defs/timestamp' },
    },
  };
}

/** `contracts/common/types.schema.json`: the shared definitions generated contracts refer to. */
export const COMMON_TYPES = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  description: 'Shared definitions.',
  $defs: {
    money: { description: 'An amount, two decimals.', type: 'number', multipleOf: 0.01, minimum: 0 },
    currency: { description: 'ISO-4217 code.', type: 'string', pattern: '^[A-Z]{3}$' },
    timestamp: { description: 'An instant.', type: 'string', format: 'date-time' },
  },
};
