import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ProblemCode } from '../../platform/problems/codes.js';
import { manifestFieldTable, qualityCheckTable } from '../support/manifestFieldTable.js';
import { fillGenerated as fill } from '../support/readmeBlocks.js';

const README = new URL('../../README.md', import.meta.url);

// Generated README sections must match the code they document. Refresh with:
// UPDATE_README=1 npx vitest run test/docs/readme.test.ts
describe('README', () => {
  it('documents every manifest field and quality check as the schema defines them', async () => {
    const text = await readFile(README, 'utf8');
    const expected = fill(fill(text, 'manifest fields', manifestFieldTable()), 'quality checks', qualityCheckTable());
    if (process.env['UPDATE_README'] === '1') return writeFile(README, expected);
    expect(text).toBe(expected);
  });

  it('lists every problem code', async () => {
    const text = await readFile(README, 'utf8');
    const missing = Object.values(ProblemCode).filter((code) => !text.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
