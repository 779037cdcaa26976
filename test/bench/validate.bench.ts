import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { generateRepository } from '../support/generateRepository.js';
import { medianMs, node, report } from './support.js';

const BIN = fileURLToPath(new URL('../../dist/platform/cli/bin.js', import.meta.url));
const YAML = fileURLToPath(new URL('../../node_modules/yaml/dist/index.js', import.meta.url));

// Baseline: the least any validator must do, read every file and parse it (YAML.parse, JSON.parse), in a
// fresh process like `mesh validate`.
const BASELINE = `
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from ${JSON.stringify(YAML)};
const root = process.argv[1];
for (const e of await readdir(join(root, 'products'), { recursive: true, withFileTypes: true }))
  if (e.name === 'product.yaml') parse(await readFile(join(e.parentPath, e.name), 'utf8'));
for (const e of await readdir(join(root, 'contracts'), { recursive: true, withFileTypes: true }))
  if (e.name.endsWith('.json')) JSON.parse(await readFile(join(e.parentPath, e.name), 'utf8'));
`;

// A second reference: reading the same files and nothing else, synchronously (as mesh reads them). The baseline
// above is mostly the yaml library's parse (a syntax tree with positions for every manifest, about a millisecond
// each) and one-at-a-time asynchronous reads; mesh reads plain manifests without the library's tree, so it can
// come in under that baseline, and this row says how close it comes to the files' reading.
const READ_ONLY = `
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const root = process.argv[1];
for (const top of ['products', 'contracts'])
  for (const e of readdirSync(join(root, top), { recursive: true, withFileTypes: true }))
    if (e.name === 'product.yaml' || e.name.endsWith('.json')) readFileSync(join(e.parentPath, e.name), 'utf8');
`;

let scratch: string;
afterAll(() => rm(scratch, { recursive: true, force: true }));

it('mesh validate over generated repositories of 1,000 and 10,000 products', async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mesh-bench-validate-'));
  const rows: Record<string, string | number>[] = [];
  const perProduct: number[] = [];
  for (const size of [1_000, 10_000]) {
    const root = join(scratch, String(size));
    await generateRepository(root, size);
    const runs = size >= 10_000 ? 3 : 5;
    const output = JSON.parse(await node([BIN, 'validate', root, '--format', 'json']));
    expect(output.products).toBe(size);
    expect(output.problems).toEqual([]);
    const validate = await medianMs(runs, () => node([BIN, 'validate', root, '--format', 'json']));
    const baseline = await medianMs(runs, () => node(['--input-type=module', '-e', BASELINE, root]));
    const readOnly = await medianMs(runs, () => node(['--input-type=module', '-e', READ_ONLY, root]));
    const startup = await medianMs(runs, () => node(['-e', '0']));
    perProduct.push(validate / size);
    rows.push({
      products: size,
      'mesh validate ms': validate,
      'read+parse baseline ms': baseline,
      ratio: validate / baseline,
      'read-only ms': readOnly,
      'node -e 0 ms': startup,
      'ms per product': validate / size,
      'load average': loadavg()[0]!,
    });
  }
  rows.push({ growth: '10,000 vs 1,000', 'time per product ratio': perProduct[1]! / perProduct[0]! });
  report('mesh validate (median wall time, fresh process each run)', rows);
});
