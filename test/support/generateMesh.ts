import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Git with a fixed identity and no user or system configuration, for repositories made by tests. */
export function gitIn(dir: string, args: readonly string[]): string {
  return execFileSync('git', [...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'mesh test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'mesh test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
}

export function writeFile(root: string, file: string, content: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), content);
}

export interface GeneratedMesh {
  readonly products: number;
  /** Contract files, in product order. */
  readonly contracts: readonly string[];
}

/** A contract with `fields` properties, some referring to shared types, with nested objects and combinators. */
export function contractSchema(name: string, version: string, fields: number): Record<string, unknown> {
  // A field of the product's own, as real contracts have: no two generated contracts compile alike.
  const properties: Record<string, unknown> = {
    id: { type: 'string', description: 'Identifier.', pattern: '^[A-Z]{2}-[0-9]+$' },
    [`${name}_ref`]: { type: ['string', 'null'], maxLength: 16 + (name.length * 7) % 240, description: `Reference into ${name}'s source system.` },
  };
  for (let i = 0; i < fields; i++) {
    const key = `field_${i}`;
    switch (i % 6) {
      case 0:
        properties[key] = { $ref: '../common/types.schema.json#/$defs/money', description: `Amount ${i}.` };
        break;
      case 1:
        properties[key] = { $ref: '../common/types.schema.json#/$defs/timestamp', description: `Time ${i}.` };
        break;
      case 2:
        properties[key] = { type: 'string', enum: ['open', 'shipped', 'cancelled'], description: `State ${i}.` };
        break;
      case 3:
        properties[key] = { type: ['integer', 'null'], minimum: 0, maximum: 1000, description: `Count ${i}.` };
        break;
      case 4:
        properties[key] = {
          type: 'object',
          description: `Part ${i}.`,
          properties: { sku: { type: 'string', maxLength: 32 }, qty: { type: 'integer', minimum: 1 } },
          required: ['sku'],
          additionalProperties: false,
        };
        break;
      default:
        properties[key] = { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'null' }], description: `Note ${i}.` };
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: name,
    description: `Records of ${name}.`,
    'x-version': version,
    'x-primary-key': ['id'],
    type: 'object',
    additionalProperties: false,
    required: ['id', 'field_0'],
    properties,
  };
}

const COMMON = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Common types',
  description: 'Shared definitions.',
  $defs: {
    money: { description: 'Money, two decimals.', type: 'number', multipleOf: 0.01 },
    timestamp: { description: 'An instant.', type: 'string', format: 'date-time' },
  },
};

/**
 * Writes a mesh of `count` products over ten domains into `root`: one output port each, a contract of
 * `fields` properties, and inputs from up to two earlier products, so that the graph has long chains.
 */
export function generateMesh(root: string, count: number, fields = 12): GeneratedMesh {
  writeFile(root, 'contracts/common/types.schema.json', JSON.stringify(COMMON, null, 2));
  const contracts: string[] = [];
  for (let i = 0; i < count; i++) {
    const domain = `d${i % 10}`;
    const name = `p${i}`;
    const contract = `contracts/${domain}/${name}.schema.json`;
    contracts.push(contract);
    writeFile(root, contract, JSON.stringify(contractSchema(name, '1.0.0', fields), null, 2));
    const inputs = [i - 1, Math.floor(i / 2) - 1].filter((j, k, all) => j >= 0 && all.indexOf(j) === k).map((j) => `  - { product: d${j % 10}.p${j}, port: main }`);
    writeFile(
      root,
      `products/${domain}/${name}/product.yaml`,
      [
        'apiVersion: mesh/v1',
        'kind: DataProduct',
        `id: ${domain}.${name}`,
        `name: Product ${i}`,
        `domain: ${domain}`,
        'version: 1.0.0',
        'status: active',
        `description: Generated product ${i}.`,
        `owner: { team: team-${i % 25}, email: team${i % 25}@example.com }`,
        'layer: silver',
        'pattern: elt',
        ...(inputs.length > 0 ? ['inputs:', ...inputs] : []),
        'outputs:',
        '  - port: main',
        `    contract: ${contract}`,
        '    compatibility: forward',
        '',
      ].join('\n'),
    );
  }
  return { products: count, contracts };
}
