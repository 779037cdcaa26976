import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitIn, writeFile } from '../support/generateMesh.js';

/**
 * A small mesh in a fresh git repository: sales.orders publishes "orders"; finance.revenue reads it and
 * publishes "revenue"; marketing.campaigns reads revenue (two hops from orders). `main` holds it; the
 * working branch is `feature`.
 */
export class CheckRepo {
  readonly root = mkdtempSync(join(tmpdir(), 'mesh-check-'));

  constructor() {
    this.write('contracts/common/types.schema.json', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      description: 'Shared types.',
      $defs: { money: { description: 'An amount, two decimals.', type: 'number', multipleOf: 0.01 } },
    });
    this.write('contracts/sales/orders.schema.json', ordersContract('1.0.0'));
    this.write('contracts/finance/revenue.schema.json', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      'x-version': '1.0.0',
      'x-primary-key': ['day'],
      type: 'object',
      additionalProperties: false,
      required: ['day'],
      properties: { day: { type: 'string', format: 'date', description: 'Day.' }, total: { $ref: '../common/types.schema.json#/$defs/money', description: 'Revenue.' } },
    });
    this.write('contracts/marketing/campaigns.schema.json', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      'x-version': '1.0.0',
      'x-primary-key': ['id'],
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', description: 'Campaign.' } },
    });
    this.writeText('products/sales/orders/product.yaml', manifest({ id: 'sales.orders', team: 'sales-analytics', version: '1.0.0', outputs: [port('orders', 'contracts/sales/orders.schema.json')] }));
    this.writeText('products/finance/revenue/product.yaml', manifest({ id: 'finance.revenue', team: 'finance-core', version: '1.0.0', inputs: ['sales.orders/orders'], outputs: [port('revenue', 'contracts/finance/revenue.schema.json')] }));
    this.writeText('products/marketing/campaigns/product.yaml', manifest({ id: 'marketing.campaigns', team: 'growth', version: '1.0.0', inputs: ['finance.revenue/revenue'], outputs: [port('campaigns', 'contracts/marketing/campaigns.schema.json')] }));
    this.git('init', '-q', '-b', 'main');
    this.git('add', '-A');
    this.git('commit', '-q', '-m', 'base');
    this.git('checkout', '-q', '-b', 'feature');
  }

  git(...args: string[]): string {
    return gitIn(this.root, args);
  }

  write(file: string, value: unknown): void {
    writeFile(this.root, file, JSON.stringify(value, null, 2) + '\n');
  }

  writeText(file: string, text: string): void {
    writeFile(this.root, file, text);
  }

  read(file: string): string {
    return readFileSync(join(this.root, file), 'utf8');
  }

  /** Edits a JSON file in place. */
  edit(file: string, change: (value: Record<string, any>) => void): void {
    const value = JSON.parse(this.read(file)) as Record<string, any>;
    change(value);
    this.write(file, value);
  }

  editText(file: string, change: (text: string) => string): void {
    this.writeText(file, change(this.read(file)));
  }

  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function ordersContract(version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    'x-version': version,
    'x-primary-key': ['order_id'],
    type: 'object',
    additionalProperties: false,
    required: ['order_id', 'status'],
    properties: {
      order_id: { type: 'string', description: 'Order number.' },
      status: { enum: ['open', 'shipped'], description: 'Fulfilment state.' },
      total: { $ref: '../common/types.schema.json#/$defs/money', description: 'Total.' },
      ...extra,
    },
  };
}

interface PortSpec {
  readonly port: string;
  readonly contract: string;
  readonly extra: string[];
}

export function port(name: string, contract: string, ...extra: string[]): PortSpec {
  return { port: name, contract, extra };
}

export function manifest(spec: { id: string; team: string; version: string; status?: string; inputs?: string[]; outputs: PortSpec[]; sla?: string[] }): string {
  const [domain, name] = spec.id.split('.');
  return [
    'apiVersion: mesh/v1',
    'kind: DataProduct',
    `id: ${spec.id}`,
    `name: ${name}`,
    `domain: ${domain}`,
    `version: ${spec.version}`,
    `status: ${spec.status ?? 'active'}`,
    `description: The ${name} product.`,
    `owner: { team: ${spec.team}, email: ${spec.team}@example.com }`,
    'layer: gold',
    'pattern: elt',
    ...(spec.inputs ? ['inputs:', ...spec.inputs.map((i) => `  - { product: ${i.split('/')[0]}, port: ${i.split('/')[1]} }`)] : []),
    'outputs:',
    ...spec.outputs.flatMap((o) => [`  - port: ${o.port}`, `    contract: ${o.contract}`, ...o.extra.map((line) => `    ${line}`)]),
    ...(spec.sla ? ['sla:', ...spec.sla.map((line) => `  ${line}`)] : []),
    '',
  ].join('\n');
}
