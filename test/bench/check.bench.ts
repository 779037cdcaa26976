import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../platform/cli/main.js';
import { generateMesh, gitIn } from '../support/generateMesh.js';

/**
 * `mesh check` on a generated 1,000-product repository with 100 changed contracts (target: under 3 s),
 * reported against `mesh validate` of the same working tree, measured in the same run.
 */
const PRODUCTS = 1000;
const CHANGED = 100;
let root: string;

async function time(argv: string[]): Promise<{ code: number; ms: number; out: string }> {
  const chunks: string[] = [];
  const io = { stdout: { write: (t: string) => chunks.push(t) }, stderr: { write: (t: string) => chunks.push(t) }, cwd: root, env: { PATH: process.env['PATH'], HOME: root } };
  const start = performance.now();
  const code = await main(argv, io);
  return { code, ms: performance.now() - start, out: chunks.join('') };
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
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports the figure and its ratio to mesh validate', async () => {
    const validate = [];
    const check = [];
    for (let i = 0; i < 3; i++) {
      validate.push(await time(['validate', '--format', 'json']));
      check.push(await time(['check', '--base', 'main', '--format', 'json']));
    }
    const best = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
    const report = JSON.parse(check[0]!.out) as { ports: unknown[] };
    expect(report.ports).toHaveLength(CHANGED);
    console.log(`mesh check, ${PRODUCTS} products, ${CHANGED} changed contracts: ${best(check).toFixed(0)} ms (target < 3000 ms); mesh validate of the same tree: ${best(validate).toFixed(0)} ms; ratio ${(best(check) / best(validate)).toFixed(2)}`);
  });
});
