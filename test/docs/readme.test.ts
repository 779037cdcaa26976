import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ProblemCode } from '../../platform/problems/codes.js';
import { manifestFieldTable, qualityCheckTable } from '../support/manifestFieldTable.js';

const README = new URL('../../README.md', import.meta.url);

/** Replaces the text between `<!-- generated: name -->` and `<!-- end: name -->`. */
function fill(text: string, name: string, content: string): string {
  const start = `<!-- generated: ${name} -->`;
  const end = `<!-- end: ${name} -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${start} ... ${end} block`);
  return text.slice(0, i + start.length) + '\n' + content + '\n' + text.slice(j);
}

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
