import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMesh, gitIn } from '../support/generateMesh.js';
import { medianMs, node, report } from './support.js';

/**
 * `mesh check` of the built binary, in a fresh process as a user runs it, on a generated 1,000-product
 * repository with 100 changed contracts (target: under 3 s), reported against `mesh validate` of the same
 * working tree and `node -e 0`, measured in the same run.
 */
const PRODUCTS = Number(process.env['MESH_BENCH_PRODUCTS'] ?? 1000);
const CHANGED = Math.min(100, PRODUCTS / 10);
const BIN = fileURLToPath(new URL('../../dist/platform/cli/bin.js', import.meta.url));
let root: string;

/** Runs the binary in `root`; `mesh check` exits 1 when it finds problems, which is an answer, not a failure. */
function mesh(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: root, env: { PATH: process.env['PATH'], HOME: root }, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error && error.code !== 1) reject(error);
      else resolve(stdout);
    });
  });
}

describe('mesh check on 1,000 products', () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'mesh-bench-check-'));
    const mesh = generateMesh(root, PRODUCTS);
    gitIn(root, ['init', '-q', '-b', 'main']);
    gitIn(root, ['add', '-A']);
    gitIn(root, ['commit', '-q', '-m', 'base']);
    gitIn(root, ['checkout', '-q', '-b', 'change']);
    // 100 contracts change: half narrow a maximum (compatible under forward) with a major bump, half reword
    // a description with a patch bump.
    for (let i = 0; i < CHANGED; i++) {
      const file = mesh.contracts[i * Math.floor(PRODUCTS / CHANGED)]!;
      const schema = JSON.parse(readFileSync(join(root, file), 'utf8')) as { properties: Record<string, Record<string, unknown>>; 'x-version': string };
      if (i % 2 === 0) {
        schema.properties['field_3']!['maximum'] = 500;
        schema['x-version'] = '2.0.0';
      } else {
        schema.properties['field_2']!['description'] = 'State, reworded.';
        schema['x-version'] = '1.0.1';
      }
      writeFileSync(join(root, file), JSON.stringify(schema, null, 2));
      // The product's version moves as far as its contract's, as the version rules ask: the check passes.
      const manifest = join(root, file.replace(/^contracts\/(d\d+)\/(p\d+)\.schema\.json$/, 'products/$1/$2/product.yaml'));
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('version: 1.0.0', `version: ${schema['x-version']}`));
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports the figure and its ratio to mesh validate', async () => {
    const answer = JSON.parse(await mesh(['check', '--base', 'main', '--format', 'json'])) as { ok: boolean; problems: unknown[]; ports: unknown[] };
    expect(answer.ports).toHaveLength(CHANGED);
    expect(answer.problems.filter((p) => (p as { severity: string }).severity === 'error')).toEqual([]);
    expect(answer.ok).toBe(true);
    const runs = 5;
    const check = await medianMs(runs, () => mesh(['check', '--base', 'main', '--format', 'json']));
    const validate = await medianMs(runs, () => mesh(['validate', '--format', 'json']));
    const startup = await medianMs(runs, () => node(['-e', '0']));
    report('mesh check (median wall time, fresh process each run)', [
      { products: PRODUCTS, 'changed contracts': CHANGED, 'mesh check ms': check, 'target ms': 3000, 'mesh validate ms': validate, 'ratio to validate': check / validate, 'node -e 0 ms': startup, 'load average': loadavg()[0]! },
    ]);
  });
});
