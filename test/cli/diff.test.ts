import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from '../support/generateMesh.js';
import { runCli } from '../support/runCli.js';

/** Git needs PATH; HOME keeps it away from the user's configuration. */
const baseEnv = (cwd: string) => ({ PATH: process.env['PATH'], HOME: cwd });

let dir: string;
const write = (file: string, value: unknown) => writeFile(dir, file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));

const base = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  'x-version': '1.0.0',
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', description: 'Identifier.' },
    status: { enum: ['open', 'shipped'], description: 'State.' },
  },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesh-diff-'));
  write('old.json', base);
  write('same.json', { ...base, 'x-version': '1.0.1', description: 'Orders.' });
  write('wider.json', { ...base, properties: { ...base.properties, status: { enum: ['open', 'shipped', 'lost'], description: 'State.' } } });
  write('stricter.json', { ...base, required: ['id', 'status'] });
  write('broken.json', '{ "type": "object", ');
  write('unresolved.json', { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } });
  write('proto.json', '{ "properties": { "__proto__": { "type": "string" } } }');
  write('deep.json', '['.repeat(200) + ']'.repeat(200));
  write('draft7.json', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }], additionalItems: false, definitions: { x: { type: 'integer' } } });
  write('draft7-new.json', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false });
  // Each side's $refs resolve against its own folder.
  write('v1/common.json', { $defs: { money: { type: 'number', multipleOf: 0.01 } } });
  write('v1/order.json', { type: 'object', properties: { total: { $ref: 'common.json#/$defs/money' } } });
  write('v2/common.json', { $defs: { money: { type: 'number', multipleOf: 0.001 } } });
  write('v2/order.json', { type: 'object', properties: { total: { $ref: 'common.json#/$defs/money' } } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mesh diff', () => {
  it('exits 0 on a compatible change and defaults to forward and strict', async () => {
    const run = await runCli(['diff', 'old.json', 'same.json', '--format', 'json'], { cwd: dir, env: baseEnv(dir) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      compatible: true,
      mode: 'forward',
      policy: 'strict',
      changes: [
        { code: 'DESCRIPTION_CHANGED', pointer: '/description', backward: true, forward: true, message: 'description added' },
        { code: 'VERSION_CHANGED', pointer: '/x-version', backward: true, forward: true, message: 'x-version changed from "1.0.0" to "1.0.1"' },
      ],
    });
  });

  it('exits 1 on a change that breaks the mode, with the exact JSON shape', async () => {
    const run = await runCli(['diff', 'old.json', 'wider.json', '--format', 'json'], { cwd: dir, env: baseEnv(dir) });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      compatible: false,
      mode: 'forward',
      policy: 'strict',
      changes: [
        {
          code: 'ENUM_VALUE_ADDED',
          pointer: '/properties/status/enum',
          backward: true,
          forward: false,
          message: 'the new schema allows "lost"; the old one rejects it',
        },
      ],
    });
  });

  it('judges by the mode asked for', async () => {
    expect((await runCli(['diff', 'old.json', 'wider.json', '--mode', 'backward'], { cwd: dir, env: baseEnv(dir) })).code).toBe(0);
    expect((await runCli(['diff', 'old.json', 'wider.json', '--mode', 'full'], { cwd: dir, env: baseEnv(dir) })).code).toBe(1);
    expect((await runCli(['diff', 'old.json', 'wider.json', '--mode', 'none'], { cwd: dir, env: baseEnv(dir) })).code).toBe(0);
    expect((await runCli(['diff', 'old.json', 'stricter.json', '--mode', 'forward'], { cwd: dir, env: baseEnv(dir) })).code).toBe(0);
    expect((await runCli(['diff', 'old.json', 'stricter.json', '--mode', 'backward'], { cwd: dir, env: baseEnv(dir) })).code).toBe(1);
  });

  it('prints text with file, line and column of each change in the old contract', async () => {
    const run = await runCli(['diff', 'old.json', 'stricter.json', '--mode', 'backward'], { cwd: dir, env: baseEnv(dir) });
    expect(run.stdout).toBe(
      [
        'old.json → stricter.json: incompatible (mode backward, policy strict)',
        '  old.json:6:15  breaks backward  REQUIRED_ADDED  /required  property "status" is now required',
        '1 change, 1 breaking under backward',
        '',
      ].join('\n'),
    );
  });

  it('prints a Markdown table', async () => {
    const run = await runCli(['diff', 'old.json', 'wider.json', '--format', 'markdown'], { cwd: dir, env: baseEnv(dir) });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        '### Contract diff: `old.json` → `wider.json`',
        '',
        '**Incompatible** under mode `forward` (policy `strict`): 1 of 1 change breaks it.',
        '',
        '| | Change | Where | Backward | Forward | Details |',
        '|---|---|---|---|---|---|',
        '| ❌ | `ENUM_VALUE_ADDED` | `/properties/status/enum` (old.json:15) | yes | **no** | the new schema allows "lost"; the old one rejects it |',
        '',
      ].join('\n'),
    );
  });

  it('resolves each side\'s cross-file $refs against its own folder', async () => {
    const run = await runCli(['diff', 'v1/order.json', 'v2/order.json', '--format', 'json'], { cwd: dir, env: baseEnv(dir) });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as { changes: { code: string; file?: string; pointer: string }[] };
    expect(result.changes).toEqual([expect.objectContaining({ code: 'MULTIPLE_OF_CHANGED', file: join('v1', 'common.json'), pointer: '/$defs/money/multipleOf' })]);
  });

  it('reads earlier drafts: array items, additionalItems, definitions', async () => {
    const run = await runCli(['diff', 'draft7.json', 'draft7-new.json', '--mode', 'full', '--format', 'json'], { cwd: dir, env: baseEnv(dir) });
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { changes: { code: string }[] }).changes.map((c) => c.code)).toEqual(['PREFIX_ITEM_ADDED']);
  });

  it.each([
    ['a file that is not JSON', ['diff', 'old.json', 'broken.json'], /broken\.json:1:\d+: JSON syntax/],
    ['a missing file', ['diff', 'old.json', 'nope.json'], /cannot read nope\.json/],
    ['a $ref that does not resolve', ['diff', 'unresolved.json', 'old.json'], /unresolved\.json:5:15 \(\/properties\/a\/\$ref\): cannot resolve \$ref "#\/\$defs\/missing"/],
    ['a __proto__ key', ['diff', 'proto.json', 'old.json'], /proto\.json:1:19 \(\/properties\/__proto__\): the key "__proto__" is not allowed/],
    ['nesting deeper than the limit', ['diff', 'deep.json', 'old.json'], /nesting deeper than 128 levels/],
    ['an unknown mode', ['diff', 'old.json', 'same.json', '--mode', 'sideways'], /--mode must be one of backward, forward, full, none/],
    ['an unknown policy', ['diff', 'old.json', 'same.json', '--policy', 'loose'], /--policy must be one of strict, lenient/],
    ['one file only', ['diff', 'old.json'], /two contract files are needed/],
    ['an unknown format', ['diff', 'old.json', 'same.json', '--format', 'github'], /--format must be one of text, json, markdown/],
  ])('exits 2 on %s', async (_name, argv, message) => {
    const run = await runCli(argv, { cwd: dir, env: baseEnv(dir) });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
