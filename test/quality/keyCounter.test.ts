import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { KeyCounter } from '../../platform/quality/file/KeyCounter.js';
import { splitLines } from '../../platform/quality/file/readJsonLines.js';

async function spillDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('mesh-keys-'));
}

describe('KeyCounter', () => {
  // Strings, numbers, booleans and arrays (composite keys); "1" and 1 differ; every 7th key repeats.
  const keys: unknown[] = [];
  for (let i = 0; i < 20_000; i++) {
    const n = i % 7 === 0 ? i - 1 : i;
    keys.push(n % 4 === 0 ? `k${n}` : n % 4 === 1 ? n : n % 4 === 2 ? String(n) : [n, 'x\ny']);
  }
  keys.push(true, true, false, 1, '1'); // the number 1 (already there) and the string "1" (new) differ
  const reference = new Set(keys.map((k) => JSON.stringify(k)));

  it.each([
    ['in memory', 1_000_000],
    ['spilled to disk', 500],
  ])('counts distinct keys exactly %s', async (_label, budget) => {
    const before = await spillDirs();
    const counter = new KeyCounter(budget);
    for (const k of keys) counter.add(k);
    const { count, distinct, examples } = counter.finish();
    expect(count).toBe(keys.length);
    expect(distinct).toBe(reference.size);
    expect(examples).toHaveLength(5);
    for (const e of examples) expect(keys.filter((k) => JSON.stringify(k) === JSON.stringify(e)).length).toBeGreaterThan(1);
    expect(await spillDirs()).toEqual(before); // temporary files removed
  });

  it.each([
    ['tables only', [1_000_000, 1_000_000, 1_000_000], 1_000_000],
    ['a spilled part among tables', [1_000_000, 300, 1_000_000], 1_000_000],
    ['tables merged past the budget', [1_000_000, 1_000_000, 1_000_000], 2_000],
  ])('merges the counters of parts exactly: %s', async (_label, budgets, mergeBudget) => {
    const before = await spillDirs();
    const parts = budgets.map((b) => new KeyCounter(b, 10));
    keys.forEach((k, i) => parts[i % parts.length]!.add(k));
    const { count, distinct, examples } = KeyCounter.merge(
      parts.map((p) => p.state()),
      mergeBudget,
    );
    expect(count).toBe(keys.length);
    expect(distinct).toBe(reference.size);
    expect(examples.length).toBe(5);
    expect(await spillDirs()).toEqual(before);
  });
});

describe('splitLines', () => {
  it('splits across chunks, multi-byte characters and CRLF, and skips an oversized line without holding it', async () => {
    const text = '{"a":"é"}\r\n\n' + 'x'.repeat(50) + '\n{"b":"😀"}';
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_v, i) => bytes.subarray(i * 3, i * 3 + 3));
    const lines: [number, string][] = [];
    const oversized: number[] = [];
    const result = await splitLines(
      (async function* () {
        yield* chunks;
      })(),
      { onLine: (line, n) => lines.push([n, line]), onOversized: (n) => oversized.push(n), afterChunk() {} },
      20,
    );
    expect(lines).toEqual([
      [1, '{"a":"é"}'],
      [4, '{"b":"😀"}'],
    ]);
    expect(oversized).toEqual([3]);
    expect(result).toEqual({ lines: 4, bytes: bytes.length });
  });
});
