import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSampleData } from './generateSampleData.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = generateSampleData();

// The example mesh's data files are generated; this test fails when a shipped file drifts from the generator.
// Refresh with: UPDATE_SAMPLES=1 npx vitest run test/example/sampleData.test.ts
describe('the example mesh sample data', () => {
  it('is deterministic', () => {
    const again = generateSampleData();
    expect(again.files.map((f) => f.text)).toEqual(data.files.map((f) => f.text));
    expect(again.faults).toEqual(data.faults);
  });

  it.each(data.files.map((f) => [f.path, f] as const))('%s is what the generator writes', async (path, file) => {
    const target = join(ROOT, path);
    if (process.env['UPDATE_SAMPLES'] === '1') {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.text);
    }
    expect(await readFile(target, 'utf8')).toBe(file.text);
  });

  it('stays small: under 1.5 MB in all, 2,000 records at most per file', () => {
    const bytes = data.files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
    expect(bytes).toBeLessThan(1_500_000);
    for (const file of data.files) {
      const records = file.text.trimEnd().split('\n').length - (file.path.endsWith('.csv') ? 1 : 0);
      expect(records, file.path).toBeGreaterThanOrEqual(20);
      expect(records, file.path).toBeLessThanOrEqual(2_000);
    }
  });
});
