import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../platform/errors.js';
import type { FileLoad } from '../../platform/manifest/DataProductManifest.js';
import fc from 'fast-check';
import { LOAD_REJECTS, loadFile, SURELY_CONVERTS, type LoadOutcome } from '../../platform/pipeline/loadFile.js';
import type { PortColumn } from '../../platform/pipeline/PortColumn.js';
import { sessionSetup } from '../../platform/pipeline/sessionSetup.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { openTestWarehouses } from '../support/testWarehouses.js';

const COLUMNS: PortColumn[] = [
  { name: 'id', sqlType: 'bigint', json: 'integer' },
  { name: 'name', sqlType: 'text', json: 'string' },
  { name: 'amount', sqlType: 'numeric', json: 'number' },
  { name: 'active', sqlType: 'boolean', json: 'boolean' },
  { name: 'at', sqlType: 'timestamptz', json: 'string' },
  { name: 'tags', sqlType: 'jsonb', json: 'array' },
];

interface Loaded {
  outcome: LoadOutcome;
  rows: Record<string, unknown>[];
  rejects: { record: number; data: unknown; errors: { field?: string; keyword: string; message: string }[] }[];
}

const warehouses = await openTestWarehouses('load');
let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesh-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(warehouses.cases)('loadFile on $name', ({ enabled, get }) => {
  let client: SqlClient;
  beforeAll(async () => {
    if (!enabled) return;
    client = await get();
    await client.exec('create schema if not exists s');
  });

  async function load(content: string | Buffer, load: Omit<FileLoad, 'file'>, options: { open?: boolean; columns?: PortColumn[] } = {}): Promise<Loaded> {
    const name = `f${++counter}.${load.format}`;
    await writeFile(join(dir, name), content);
    const target = `s.t${counter}`;
    return client.transaction(async (tx) => {
      await sessionSetup(tx);
      const outcome = await loadFile(tx, target, { path: join(dir, name), displayPath: name, load: { file: name, ...load }, columns: options.columns ?? COLUMNS, open: options.open ?? false });
      const rows = (await tx.query(`select * from ${target}`)).rows;
      const rejects = (await tx.query<Loaded['rejects'][number]>(`select record, data, errors from ${LOAD_REJECTS} order by record`)).rows;
      return { outcome, rows: rows.map(plain), rejects };
    });
  }

  it.skipIf(!enabled)('copies a clean CSV straight into the typed table, with delimiter, null text, quotes and a BOM', async () => {
    const csv = '\uFEFFid;name;amount;active;at;tags\n1;"Smith; John";10.50;true;2026-01-02T03:04:05Z;"[""a""]"\n2;"two\nlines";NA;f;2026-01-02 10:00:00+02;NA\n';
    const { outcome, rows, rejects } = await load(csv, { format: 'csv', delimiter: ';', nullValue: 'NA' });
    expect(outcome).toEqual({ records: 2, rejected: 0, slowPath: false });
    expect(rejects).toEqual([]);
    expect(rows).toEqual([
      { id: 1, name: 'Smith; John', amount: '10.50', active: true, at: '2026-01-02T03:04:05.000Z', tags: ['a'] },
      { id: 2, name: 'two\nlines', amount: null, active: false, at: '2026-01-02T08:00:00.000Z', tags: null },
    ]);
  });

  it.skipIf(!enabled)('maps header columns by name, in any order, and fills missing ones with null', async () => {
    const { rows } = await load('name,id\nx,7\n', { format: 'csv' });
    expect(rows).toEqual([{ id: 7, name: 'x', amount: null, active: null, at: null, tags: null }]);
  });

  it.skipIf(!enabled)('reads a CSV without header in contract order', async () => {
    const { rows } = await load('5,e,1,t,2026-01-01T00:00:00Z,[]\n', { format: 'csv', header: false });
    expect(rows).toEqual([{ id: 5, name: 'e', amount: '1', active: true, at: '2026-01-01T00:00:00.000Z', tags: [] }]);
  });

  it.skipIf(!enabled)('rejects the CSV records whose values do not convert, with record number and message, and keeps the rest', async () => {
    const csv = 'id,name,amount,active,at\n1,a,1.5,true,2026-01-01T00:00:00Z\nx,b,2,true,2026-01-01T00:00:00Z\n3,c,abc,maybe,2026-13-45\n4,d,4,false,\n';
    const { outcome, rows, rejects } = await load(csv, { format: 'csv' });
    expect(outcome).toEqual({ records: 4, rejected: 2, slowPath: true });
    expect(rows.map((r) => r['id'])).toEqual([1, 4]);
    expect(rejects).toHaveLength(2);
    expect(rejects[0]).toMatchObject({ record: 2, data: { id: 'x', name: 'b', amount: '2', active: 'true', at: '2026-01-01T00:00:00Z' } });
    expect(rejects[0]!.errors).toEqual([{ field: 'id', keyword: 'type', message: expect.stringContaining('invalid input syntax for type bigint: "x"') }]);
    expect(rejects[1]!.record).toBe(3);
    expect(rejects[1]!.errors.map((e) => e.field)).toEqual(['amount', 'active', 'at']);
    expect(rejects[1]!.errors[2]!.message).toMatch(/out of range|invalid/);
  });

  it.skipIf(!enabled)('refuses a header column that a closed contract does not know, naming the file and a hint', async () => {
    await expect(load('id,nmae\n1,a\n', { format: 'csv' })).rejects.toThrow(/f\d+\.csv:1: column "nmae" is not a field .* \(did you mean "name"\?\)/);
    await expect(load('id,nmae\n1,a\n', { format: 'csv' })).rejects.toBeInstanceOf(InputError);
  });

  it.skipIf(!enabled)('drops columns an open contract does not know, on the fast and the slow path', async () => {
    expect((await load('id,extra,name\n1,zz,a\n', { format: 'csv' }, { open: true })).rows).toEqual([{ id: 1, name: 'a', amount: null, active: null, at: null, tags: null }]);
    const slow = await load('id,extra,name\n1,zz,a\nq,yy,b\n', { format: 'csv' }, { open: true });
    expect(slow.rows.map((r) => r['id'])).toEqual([1]);
    expect(slow.rejects[0]!.data).toEqual({ id: 'q', extra: 'yy', name: 'b' });
  });

  it.skipIf(!enabled)('fails a structurally broken CSV with the line PostgreSQL names', async () => {
    await expect(load('id,name\n1,a\n2,b,c\n', { format: 'csv' })).rejects.toThrow(/f\d+\.csv:3: .*extra data after last expected column/);
  });

  it.skipIf(!enabled)('fails a file that is not UTF-8, or has an unterminated quote, as bad input with the line', async () => {
    const latin1 = Buffer.concat([Buffer.from('id,name\n1,a\n2,'), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('\n')]);
    await expect(load(latin1, { format: 'csv' })).rejects.toThrow(/f\d+\.csv:3: invalid byte sequence for encoding "UTF8"/);
    await expect(load('id,name\n1,"open\n', { format: 'csv' })).rejects.toThrow(/f\d+\.csv(:\d+)?: unterminated CSV quoted field/);
    await expect(load('id,name\n1,"open\n', { format: 'csv' })).rejects.toBeInstanceOf(InputError);
  });

  it.skipIf(!enabled)('fails a missing file as bad input', async () => {
    await expect(
      client.transaction(async (tx) => {
        await sessionSetup(tx);
        return loadFile(tx, 's.never', { path: join(dir, 'nope.csv'), displayPath: 'nope.csv', load: { file: 'nope.csv', format: 'csv', header: false }, columns: COLUMNS, open: false });
      }),
    ).rejects.toThrow(/nope\.csv: cannot read the file \(ENOENT\)/);
  });

  it.skipIf(!enabled)('loads clean JSON lines with escapes, CRLF line ends and blank lines, keeping backslashes intact', async () => {
    const lines = [
      '{"id": 1, "name": "quote \\" backslash \\\\ tab \\t é", "amount": 1.25, "active": true, "at": "2026-01-01T00:00:00Z", "tags": ["x"]}',
      '',
      '{"id": 2.0, "name": null, "tags": []}',
      '   ',
    ];
    const { outcome, rows } = await load(lines.join('\r\n') + '\r\n', { format: 'jsonl' });
    expect(outcome).toEqual({ records: 2, rejected: 0, slowPath: false });
    expect(rows).toEqual([
      { id: 1, name: 'quote " backslash \\ tab \t é', amount: '1.25', active: true, at: '2026-01-01T00:00:00.000Z', tags: ['x'] },
      { id: 2, name: null, amount: null, active: null, at: null, tags: [] },
    ]);
  });

  it.skipIf(!enabled)('rejects JSON lines that are not JSON, not objects, of the wrong types or with unknown properties', async () => {
    const lines = [
      '{"id": 1, "name": "ok"}',
      '{"id": 2, "name": ',
      '[1, 2]',
      '{"id": "3", "name": 3, "active": "yes"}',
      '{"id": 4.5, "amount": 1e2, "at": "not a time"}',
      '{"id": 5, "colour": "red"}',
      '{"id": 6, "name": "bad \u0001 byte"}',
    ];
    const { outcome, rows, rejects } = await load(lines.join('\n'), { format: 'jsonl' });
    expect(outcome).toEqual({ records: 7, rejected: 6, slowPath: true });
    expect(rows).toEqual([{ id: 1, name: 'ok', amount: null, active: null, at: null, tags: null }]);
    const byRecord = Object.fromEntries(rejects.map((r) => [r.record, r.errors]));
    expect(byRecord[2]).toEqual([{ keyword: 'json', message: expect.stringMatching(/^not valid JSON: /) }]);
    expect(byRecord[3]).toEqual([{ keyword: 'type', message: 'expected a JSON object, got array' }]);
    expect(byRecord[4]).toEqual([
      { field: 'id', keyword: 'type', message: 'expected an integer, got string' },
      { field: 'name', keyword: 'type', message: 'expected a string, got number' },
      { field: 'active', keyword: 'type', message: 'expected a boolean, got string' },
    ]);
    expect(byRecord[5]!.map((e) => e.field)).toEqual(['id', 'at']);
    expect(byRecord[5]![0]!.message).toBe('4.5 is not a whole number');
    expect(byRecord[6]).toEqual([{ field: 'colour', keyword: 'additionalProperties', message: "is not a field of the port's contract, which allows no other properties" }]);
    expect(byRecord[7]).toEqual([{ keyword: 'json', message: expect.stringMatching(/^not valid JSON: /) }]);
    expect(rejects.find((r) => r.record === 4)!.data).toEqual({ id: '3', name: 3, active: 'yes' });
    expect(rejects.find((r) => r.record === 2)!.data).toBe('{"id": 2, "name": ');
  });

  // The slow path trusts these patterns to imply a successful cast: generate text shaped like them (and text
  // close to them), and ask PostgreSQL about every value that matches.
  it.skipIf(!enabled)('only lets through text that PostgreSQL converts, on the shortcut of the slow path', async () => {
    const shapes: Record<string, RegExp> = {
      bigint: /^\s?[-+]?\d{1,20}\s?$/,
      numeric: /^[-+]?(\d{0,4}(\.\d{0,3})?|\.\d{1,3})([eE][-+]?\d{1,4})?$/,
      boolean: /^\s?([tT]|tr|[tT][rR][uU][eE]|f|FALSE|false|y|Yes|yes|n|no|On|on|of|off|1|0|2|o)\s?$/,
      date: /^\d{4}-[01]\d-[0-3]\d$/,
      timestamptz: /^\d{4}-[01]\d-[0-3]\d[T ][0-2]\d:[0-6]\d(:[0-6]\d(\.\d{1,7})?)?(Z|[-+][01]\d(:?[0-6]\d)?)?$/,
    };
    await client.transaction(async (tx) => {
      await sessionSetup(tx);
      for (const [type, shape] of Object.entries(shapes)) {
        const values = fc.sample(fc.stringMatching(shape), { numRuns: 2000, seed: 42 });
        const { rows } = await tx.query<{ matched: number; wrong: string[] | null }>(
          `select count(*)::int as matched, array_agg(v) filter (where pg_temp.mesh_cast_error(v, $3) is not null) as wrong from unnest($1::text[]) as v where v ${type === 'boolean' ? '~*' : '~'} $2`,
          [values, SURELY_CONVERTS[type], type],
        );
        expect(rows[0]!.wrong, type).toBeNull();
        expect(rows[0]!.matched, type).toBeGreaterThan(100);
      }
    });
  });

  it.skipIf(!enabled)('keeps properties an open contract does not know out of the table without rejecting', async () => {
    const { rows, rejects } = await load('{"id": 1, "colour": "red"}\n', { format: 'jsonl' }, { open: true });
    expect(rejects).toEqual([]);
    expect(rows).toEqual([{ id: 1, name: null, amount: null, active: null, at: null, tags: null }]);
  });
});

/** Rows as plain JSON values: timestamps as ISO strings. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}
