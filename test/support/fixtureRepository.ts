import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One product of a generated repository. */
export interface FixtureProduct {
  readonly domain: string;
  readonly name: string;
  readonly team: string;
  readonly version?: string;
  readonly description?: string;
  /** Upstream ports, as `<product id>:<port>`. */
  readonly inputs?: readonly string[];
  /** Contract fields beyond `id` and `updated_at`. */
  readonly fields?: readonly string[];
  readonly contractVersion?: string;
  /** Output dataset name (namespace postgres://warehouse); default `<layer>.<domain>_<name>`. */
  readonly dataset?: string | null;
}

/**
 * Writes a valid mesh repository: for each product a manifest at `products/<domain>/<name>/product.yaml` with one
 * output port (`<name>`) and its contract at `contracts/<domain>/<name>.schema.json`, which refers to shared
 * definitions in `contracts/common/types.schema.json`.
 */
export async function writeFixtureRepository(root: string, products: readonly FixtureProduct[]): Promise<void> {
  await put(
    root,
    'contracts/common/types.schema.json',
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { timestamp: { type: 'string', format: 'date-time', description: 'A point in time, UTC.' } },
    }),
  );
  const writes = products.map(async (p) => {
    const id = `${p.domain}.${p.name}`;
    const fields = p.fields ?? ['amount', 'customer_email'];
    const properties: Record<string, unknown> = {
      id: { type: 'string', description: `Identifier of one ${p.name} record.` },
      updated_at: { $ref: '../common/types.schema.json#/$defs/timestamp', description: 'Last change.' },
    };
    for (const field of fields) {
      properties[field] = field.includes('email')
        ? { type: ['string', 'null'], format: 'email', description: 'Contact address.', 'x-pii': true, 'x-classification': 'confidential' }
        : { type: 'number', description: `The ${field.replace(/_/g, ' ')}.` };
    }
    const contract = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: p.name,
      description: `One ${p.name} record.`,
      'x-version': p.contractVersion ?? '1.0.0',
      'x-primary-key': ['id'],
      'x-classification': 'internal',
      type: 'object',
      additionalProperties: false,
      required: ['id', 'updated_at'],
      properties,
    };
    await put(root, `contracts/${p.domain}/${p.name}.schema.json`, JSON.stringify(contract, null, 2));
    const dataset = p.dataset === undefined ? `gold.${p.domain}_${p.name}` : p.dataset;
    const inputs = (p.inputs ?? []).map((ref) => {
      const [product, port] = ref.split(':');
      return `  - { product: ${product}, port: ${port} }`;
    });
    const manifest = [
      'apiVersion: mesh/v1',
      'kind: DataProduct',
      `id: ${id}`,
      `name: ${p.name.replace(/_/g, ' ')}`,
      `domain: ${p.domain}`,
      `version: ${p.version ?? '1.0.0'}`,
      'status: active',
      `description: ${p.description ?? `The ${p.name} of ${p.domain}, one row per record.`}`,
      `owner: { team: ${p.team}, email: ${p.team}@example.com }`,
      `tags: [${p.domain}, generated]`,
      'layer: gold',
      'pattern: elt',
      ...(inputs.length > 0 ? ['inputs:', ...inputs] : []),
      'outputs:',
      `  - port: ${p.name}`,
      `    contract: contracts/${p.domain}/${p.name}.schema.json`,
      ...(dataset === null ? [] : [`    dataset: { namespace: "postgres://warehouse", name: ${dataset} }`]),
      'sla:',
      '  freshness: { max: PT24H, column: updated_at }',
      '',
    ].join('\n');
    await put(root, `products/${p.domain}/${p.name}/product.yaml`, manifest);
  });
  await Promise.all(writes);
}

async function put(root: string, file: string, text: string): Promise<void> {
  const path = join(root, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
